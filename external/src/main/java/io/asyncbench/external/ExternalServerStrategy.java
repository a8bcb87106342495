package io.asyncbench.external;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.ServerWorkload;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyFacts;
import io.asyncbench.api.UnsupportedWorkloadException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An external server seen as a {@link Strategy}, so the conformance suite and the command line can
 * start it like any other: {@link #start} runs its command line in a child process. It is not
 * registered for ServiceLoader: external servers are listed explicitly (the shipped references,
 * and whatever a user passes).
 */
public record ExternalServerStrategy(ExternalServer server) implements Strategy {

    @Override
    public String id() {
        return server.name();
    }

    @Override
    public String description() {
        return server.description();
    }

    @Override
    public Availability availability() {
        return server.availability();
    }

    @Override
    public Set<ServerWorkload> serverWorkloads() {
        return server.commands().keySet().stream().flatMap(w -> w.server().stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A shipped reference's facts ({@link References#facts}); a server a user brought declares none. */
    @Override
    public StrategyFacts facts() {
        return server.reference() ? References.facts(server.name()) : StrategyFacts.UNDECLARED;
    }

    /**
     * Why this server cannot be started as {@code spec} asks, if it cannot: its threads, socket
     * options and limits are its own, except what its command line has placeholders for.
     */
    public Optional<String> cannotHonour(ServerSpec spec) {
        String command = server.commands().getOrDefault(spec.workload(), "");
        if (!spec.socketOptions().equals(SocketOptions.DEFAULTS)) {
            return Optional.of(id() + " sets its own socket options (an external server's command line has "
                    + "no place for them)");
        }
        Limits limits = spec.limits();
        if (!limits.withIdleTimeout(Limits.DEFAULTS.idleTimeout()).withHeadDeadline(Limits.DEFAULTS.headDeadline())
                .equals(Limits.DEFAULTS)) {
            return Optional.of(id() + " keeps its own limits (only the idle timeout and the head deadline can be "
                    + "passed, as " + ExternalServer.IDLE_TIMEOUT_MS + " and " + ExternalServer.HEAD_DEADLINE_MS + ")");
        }
        if (!limits.headDeadline().equals(Limits.DEFAULTS.headDeadline())
                && !command.contains(ExternalServer.HEAD_DEADLINE_MS)) {
            return Optional.of(id() + "'s command line has no " + ExternalServer.HEAD_DEADLINE_MS);
        }
        if (!limits.idleTimeout().equals(Limits.DEFAULTS.idleTimeout())
                && !command.contains(ExternalServer.IDLE_TIMEOUT_MS)) {
            return Optional.of(id() + "'s command line has no " + ExternalServer.IDLE_TIMEOUT_MS);
        }
        if (!spec.bindAddress().getAddress().isLoopbackAddress() && !command.contains(ExternalServer.HOST)) {
            return Optional.of(id() + "'s command line has no " + ExternalServer.HOST
                    + ": it binds loopback only");
        }
        return Optional.empty();
    }

    /** Starts the command line in a child process (unpinned, output to a temporary file). */
    @Override
    public ExternalProcess start(ServerSpec spec) throws IOException {
        return start(spec, List.of(), null);
    }

    /**
     * Starts the command line behind {@code prefix} (e.g. {@code taskset -c 1}), its output in
     * {@code log} (null: a temporary file).
     */
    public ExternalProcess start(ServerSpec spec, List<String> prefix, java.nio.file.Path log) throws IOException {
        if (!serverWorkloads().contains(spec.serverWorkload())) {
            throw new UnsupportedWorkloadException(this, spec.workload());
        }
        Optional<String> reason = cannotHonour(spec);
        if (reason.isPresent()) {
            throw new IllegalArgumentException(reason.get());
        }
        String host = spec.bindAddress().getAddress().getHostAddress();
        boolean anyPort = spec.bindAddress().getPort() == 0;
        for (int attempt = 1; ; attempt++) {
            int port = anyPort ? ExternalProcess.freePort(host) : spec.bindAddress().getPort();
            String commandLine = server.commandLine(spec.workload(), host, port, spec.limits());
            try {
                return ExternalProcess.start(commandLine, prefix,
                        new InetSocketAddress(spec.bindAddress().getAddress(), port), log);
            } catch (IOException e) {
                // A free port can be taken by someone else before the server binds it: try another.
                if (!anyPort || attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
