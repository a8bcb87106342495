package io.asyncbench.external;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * External servers handed from one JVM to another as system properties, one per workload:
 * {@code -Dasyncbench.external.NAME.WORKLOAD=COMMAND}. {@code asyncbench run} passes its servers to
 * each JMH fork this way, and the conformance suite takes extra servers the same way.
 */
public final class ExternalServers {

    /** Prefix of the properties: {@code asyncbench.external.NAME.WORKLOAD}. */
    public static final String PREFIX = "asyncbench.external.";
    /** Suffix of the property marking a server as a shipped reference: {@code asyncbench.external.NAME.reference}. */
    private static final String REFERENCE = "reference";

    private ExternalServers() {
    }

    /** The properties that describe {@code servers}, as {@code -Dkey=value} flags. */
    public static List<String> asFlags(List<ExternalServer> servers) {
        List<String> flags = new ArrayList<>();
        for (ExternalServer server : servers) {
            server.commands().forEach((workload, command) ->
                    flags.add("-D" + PREFIX + server.name() + "." + workload.id() + "=" + command));
            if (server.reference()) {
                flags.add("-D" + PREFIX + server.name() + "." + REFERENCE + "=true");
            }
        }
        return flags;
    }

    /** Every server described in {@code properties}, in name order. */
    public static List<ExternalServer> from(Properties properties) {
        Map<String, String> sorted = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                sorted.put(key, properties.getProperty(key));
            }
        }
        List<ExternalServer> servers = new ArrayList<>();
        sorted.forEach((key, value) -> {
            String nameAndWorkload = key.substring(PREFIX.length());
            int dot = nameAndWorkload.lastIndexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException(key + ": expected " + PREFIX + "NAME.WORKLOAD=COMMAND");
            }
            String name = nameAndWorkload.substring(0, dot);
            String workload = nameAndWorkload.substring(dot + 1);
            if (workload.equals(REFERENCE)) {
                return;
            }
            ExternalServer parsed = ExternalServer.parse(name + ":" + workload + "=" + value);
            boolean reference = Boolean.parseBoolean(properties.getProperty(PREFIX + name + "." + REFERENCE));
            servers.add(new ExternalServer(parsed.name(), parsed.commands(), parsed.description(), reference,
                    parsed.availability()));
        });
        return ExternalServer.merge(servers);
    }

    /** The server named {@code name} in this JVM's system properties, if any. */
    public static Optional<ExternalServer> fromSystemProperties(String name) {
        return from(System.getProperties()).stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
