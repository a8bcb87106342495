package io.asyncbench.harness.cli;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters and completion candidates shared by the subcommands. A failed conversion
 * becomes a one-line "Invalid value for option ..." message, never a stack trace.
 */
public final class Converters {

    /** A strategy id, looked up with ServiceLoader; the error lists the known ids. */
    public static final class StrategyConverter implements ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String id) {
            try {
                return StrategyCatalog.byId(id);
            } catch (IllegalArgumentException unknown) {
                throw new TypeConversionException(unknown.getMessage());
            }
        }
    }

    /** A workload id, case-insensitive; the error lists the known ids. */
    public static final class WorkloadConverter implements ITypeConverter<Workload> {
        @Override
        public Workload convert(String id) {
            try {
                return Workload.byId(id);
            } catch (IllegalArgumentException unknown) {
                throw new TypeConversionException(unknown.getMessage());
            }
        }
    }

    /** A host name or literal address to bind to. */
    public static final class AddressConverter implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String host) {
            try {
                return HostPort.address(host);
            } catch (IllegalArgumentException unknown) {
                throw new TypeConversionException(unknown.getMessage());
            }
        }
    }

    /** HOST:PORT, resolved. */
    public static final class HostPortConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String text) {
            try {
                return HostPort.parse(text);
            } catch (IllegalArgumentException bad) {
                throw new TypeConversionException(bad.getMessage());
            }
        }
    }

    /** The ids of the strategies on the class path, for ${COMPLETION-CANDIDATES} in help texts. */
    public static final class StrategyIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            try {
                return Strategies.ids(StrategyCatalog.strategies()).iterator();
            } catch (CliException discoveryFailed) {
                // Help must render even when discovery is broken; the commands report the cause.
                return List.<String>of().iterator();
            }
        }
    }

    /** The ids of the workloads a server can play. */
    public static final class ServerWorkloadIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Workload.values()).filter(w -> w.role() == Workload.Role.SERVER)
                    .map(Workload::id).iterator();
        }
    }

    private Converters() {
    }
}
