package io.asyncbench.external;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Limits;
import io.asyncbench.api.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A server outside the JVM, described by one command line per workload it serves:
 *
 * <pre>
 *   asyncio:http=python3 references/asyncio/server.py --port {port} http
 * </pre>
 *
 * The command runs under {@code /bin/sh -c exec ...}, so it is a shell command line, and the
 * server's process is the one started (its {@code /proc/<pid>} gives CPU time and memory). It must
 * serve the workload exactly as {@code io.asyncbench.api} specifies. Placeholders:
 * <ul>
 *   <li>{@code {port}} (required): the TCP port to listen on;</li>
 *   <li>{@code {host}}: the address to bind; without it the server must bind 127.0.0.1;</li>
 *   <li>{@code {idle-timeout-ms}}: {@link Limits#idleTimeout()} in milliseconds; without it the
 *       server must use the default (30 s);</li>
 *   <li>{@code {head-deadline-ms}}: {@link Limits#headDeadline()} in milliseconds (default 10 s).</li>
 * </ul>
 *
 * @param name         the row's name in reports, as a strategy id is
 * @param commands     one command line per workload (echo, http)
 * @param description  one line for humans
 * @param reference    true for the references shipped in the project (drawn apart in reports)
 * @param availability whether it can run here, and if not why ("no C compiler")
 */
public record ExternalServer(String name, Map<Workload, String> commands, String description,
                             boolean reference, Availability availability) {

    public static final String PORT = "{port}";
    public static final String HOST = "{host}";
    public static final String IDLE_TIMEOUT_MS = "{idle-timeout-ms}";
    public static final String HEAD_DEADLINE_MS = "{head-deadline-ms}";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,39}");

    public ExternalServer {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an external server's name is 1-40 lower-case letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit: '" + name + "'");
        }
        commands = new EnumMap<>(commands);
        for (Map.Entry<Workload, String> command : commands.entrySet()) {
            Workload workload = command.getKey();
            if (workload != Workload.ECHO && workload != Workload.HTTP) {
                throw new IllegalArgumentException(name + ": an external server serves echo or http ("
                        + workload.id() + " would need its backends passed in; not supported)");
            }
            if (!command.getValue().contains(PORT)) {
                throw new IllegalArgumentException(name + ":" + workload.id() + ": the command line needs "
                        + PORT + " where the port goes: '" + command.getValue() + "'");
            }
        }
        if (commands.isEmpty()) {
            throw new IllegalArgumentException(name + ": no workload command");
        }
    }

    /**
     * Parses {@code name:workload=command}, e.g. {@code myserver:http=./my-server --port {port}}.
     *
     * @throws IllegalArgumentException with what is wrong and the expected form
     */
    public static ExternalServer parse(String text) {
        int colon = text.indexOf(':');
        int equals = text.indexOf('=');
        if (colon <= 0 || equals < colon + 2 || equals == text.length() - 1) {
            throw new IllegalArgumentException("expected NAME:WORKLOAD=COMMAND with " + PORT
                    + " in COMMAND, e.g. 'mine:http=./my-server --port {port}', got '" + text + "'");
        }
        String name = text.substring(0, colon).strip();
        String workloadId = text.substring(colon + 1, equals).strip().toLowerCase(Locale.ROOT);
        Workload workload = Workload.byId(workloadId);
        String command = text.substring(equals + 1).strip();
        return new ExternalServer(name, Map.of(workload, command), "external: " + command, false,
                Availability.availableHere());
    }

    /** One server per name, its workloads gathered: {@code x:echo=...} and {@code x:http=...}. */
    public static List<ExternalServer> merge(Collection<ExternalServer> servers) {
        Map<String, ExternalServer> byName = new LinkedHashMap<>();
        for (ExternalServer server : servers) {
            byName.merge(server.name(), server, (a, b) -> {
                Map<Workload, String> commands = new EnumMap<>(a.commands());
                for (Workload workload : b.commands().keySet()) {
                    if (commands.containsKey(workload)) {
                        throw new IllegalArgumentException(a.name() + ":" + workload.id() + " is given twice");
                    }
                }
                commands.putAll(b.commands());
                String description = a.reference() ? a.description() : "external: " + String.join("; ",
                        commands.values());
                return new ExternalServer(a.name(), commands, description, a.reference(), a.availability());
            });
        }
        return new ArrayList<>(byName.values());
    }

    /** The command line for {@code workload} with every placeholder filled in. */
    public String commandLine(Workload workload, String host, int port, Limits limits) {
        String command = commands.get(workload);
        if (command == null) {
            throw new IllegalArgumentException(name + " has no command for " + workload.id());
        }
        return command.replace(PORT, Integer.toString(port)).replace(HOST, host)
                .replace(IDLE_TIMEOUT_MS, Long.toString(limits.idleTimeout().toMillis()))
                .replace(HEAD_DEADLINE_MS, Long.toString(limits.headDeadline().toMillis()));
    }

    /** The form {@link #parse} reads, one line per workload. */
    public List<String> specs() {
        List<String> specs = new ArrayList<>();
        commands.forEach((workload, command) -> specs.add(name + ":" + workload.id() + "=" + command));
        return specs;
    }
}
