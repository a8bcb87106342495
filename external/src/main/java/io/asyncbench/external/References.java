package io.asyncbench.external;

import io.asyncbench.api.Availability;
import io.asyncbench.api.StrategyFacts;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The reference servers shipped in {@code references/}, measured beside the JVM strategies:
 * <ul>
 *   <li>{@code asyncio}: Python's asyncio with Protocol callbacks, the model asyncbench is built
 *       around;</li>
 *   <li>{@code uvloop}: the same code on uvloop, where a python3 here can import it;</li>
 *   <li>{@code c-epoll}: one thread, level-triggered epoll, compiled with the machine's C compiler:
 *       the machine's limit.</li>
 * </ul>
 * What is missing here (python3, uvloop, a C compiler) makes the reference unavailable with that
 * reason, never an error.
 */
public final class References {

    public static final String ASYNCIO = "asyncio";
    public static final String UVLOOP = "uvloop";
    public static final String C_EPOLL = "c-epoll";
    /** The reference whose CPU per operation is the machine's limit in reports. */
    public static final String LIMIT = C_EPOLL;

    /**
     * What reports and lists need to know about each reference (see {@link StrategyFacts}): after
     * every JVM style, in an earthy colour family of their own from asyncio's light brown to the C
     * limit's black, with asyncio as the model and c-epoll as the limit; never a backend.
     */
    private static final Map<String, StrategyFacts> FACTS = Map.of(
            ASYNCIO, StrategyFacts.of(110, "#A6761D", "references").withRole(StrategyFacts.Role.MODEL),
            UVLOOP, StrategyFacts.of(120, "#8C6D46", "references"),
            C_EPOLL, StrategyFacts.of(130, "#1A1A1A", "references").withRole(StrategyFacts.Role.LIMIT));

    /** System property naming the project folder (the one holding {@code references/}). */
    public static final String HOME_PROPERTY = "asyncbench.home";

    private static List<ExternalServer> cached;

    private References() {
    }

    /** The three references, each available or not with the reason; probed once per JVM. */
    public static synchronized List<ExternalServer> all() {
        if (cached == null) {
            cached = probe(home());
        }
        return cached;
    }

    public static boolean isReference(String name) {
        return FACTS.containsKey(name);
    }

    /** Every reference's facts, by name, without probing for what it needs. */
    public static Map<String, StrategyFacts> allFacts() {
        return FACTS;
    }

    /** The facts of reference {@code name}; a server that is not one declares none. */
    public static StrategyFacts facts(String name) {
        return FACTS.getOrDefault(name, StrategyFacts.UNDECLARED);
    }

    static List<ExternalServer> probe(Optional<Path> home) {
        if (home.isEmpty()) {
            Availability missing = Availability.unavailable("the references/ folder was not found (run from the "
                    + "project, or pass -D" + HOME_PROPERTY + "=<project folder>)");
            return List.of(unavailable(ASYNCIO, missing), unavailable(UVLOOP, missing),
                    unavailable(C_EPOLL, missing));
        }
        Path root = home.get();
        Path script = root.resolve("references/asyncio/server.py");
        List<String> pythons = pythonCandidates();
        // One interpreter for both Python rows when it can run uvloop, so the loop is the only difference.
        Optional<String> withUvloop = pythons.stream().filter(p -> runs(p, "import asyncio, uvloop")).findFirst();
        Optional<String> python = withUvloop.or(
                () -> pythons.stream().filter(p -> runs(p, "import asyncio, sys; sys.exit(sys.version_info < (3, 8))"))
                        .findFirst());
        List<ExternalServer> references = new ArrayList<>();
        references.add(python.map(p -> python(ASYNCIO, p, script, "asyncio", "Python's asyncio, Protocol callbacks"))
                .orElse(unavailable(ASYNCIO, Availability.unavailable("no python3 (3.8 or newer) on the PATH"))));
        references.add(withUvloop.map(p -> python(UVLOOP, p, script, "uvloop", "the asyncio code on uvloop (libuv)"))
                .orElse(unavailable(UVLOOP, Availability.unavailable(python.isEmpty()
                        ? "no python3 on the PATH" : "no python3 here can import uvloop (Debian: python3-uvloop)"))));
        references.add(cEpoll(root));
        return references;
    }

    private static ExternalServer python(String name, String interpreter, Path script, String loop, String what) {
        String version = output(interpreter, "-c", "import sys; print(sys.version.split()[0])").orElse("?");
        Map<Workload, String> commands = new EnumMap<>(Workload.class);
        for (Workload workload : List.of(Workload.ECHO, Workload.HTTP)) {
            commands.put(workload, quote(interpreter) + " " + quote(script.toString()) + " --loop " + loop
                    + " --host {host} --port {port} --idle-timeout-ms {idle-timeout-ms}"
                    + " --head-deadline-ms {head-deadline-ms} " + workload.id());
        }
        return new ExternalServer(name, commands, what + " (" + interpreter + ", Python " + version + ")", true,
                Availability.availableHere());
    }

    private static ExternalServer cEpoll(Path root) {
        Path source = root.resolve("references/c-epoll/server.c");
        Path binary = root.resolve("target/references/c-epoll-server");
        Optional<String> compiler = onPath("cc");
        if (compiler.isEmpty()) {
            return unavailable(C_EPOLL, Availability.unavailable("no C compiler (cc is not on the PATH)"));
        }
        try {
            compile(compiler.get(), source, binary);
        } catch (IOException e) {
            return unavailable(C_EPOLL, Availability.unavailable("the C compiler failed: " + e.getMessage()));
        }
        Map<Workload, String> commands = new EnumMap<>(Workload.class);
        for (Workload workload : List.of(Workload.ECHO, Workload.HTTP)) {
            commands.put(workload, quote(binary.toString())
                    + " --host {host} --port {port} --idle-timeout-ms {idle-timeout-ms}"
                    + " --head-deadline-ms {head-deadline-ms} " + workload.id());
        }
        String version = output(compiler.get(), "--version").map(v -> v.lines().findFirst().orElse(v)).orElse("cc");
        return new ExternalServer(C_EPOLL, commands, "C, one thread, level-triggered epoll: the machine's limit ("
                + version + ", -O2)", true, Availability.availableHere());
    }

    /** cc -O2, into a temporary file renamed into place: two JVMs compiling at once both succeed. */
    static void compile(String compiler, Path source, Path binary) throws IOException {
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return;
        }
        Files.createDirectories(binary.getParent());
        Path partial = Files.createTempFile(binary.getParent(), "c-epoll-server", ".partial");
        Process cc = new ProcessBuilder(compiler, "-O2", "-o", partial.toString(), source.toString())
                .redirectErrorStream(true).start();
        String messages = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
                Files.deleteIfExists(partial);
                throw new IOException(messages.isEmpty() ? "exit " + cc.exitValue() : messages.lines().findFirst().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling " + source, e);
        }
        Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ExternalServer unavailable(String name, Availability why) {
        Map<Workload, String> commands = Map.of(Workload.ECHO, "false {port}", Workload.HTTP, "false {port}");
        return new ExternalServer(name, commands, name + " reference", true, why);
    }

    /** The project folder: -Dasyncbench.home, else the nearest folder above the working one holding references/. */
    public static Optional<Path> home() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property).toAbsolutePath());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("references/c-epoll/server.c"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** Every python3 on the PATH in order, then the system's (/usr/bin/python3), each once. */
    static List<String> pythonCandidates() {
        Set<String> candidates = new LinkedHashSet<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path python = Path.of(dir.isEmpty() ? "." : dir, "python3");
            if (Files.isExecutable(python)) {
                candidates.add(python.toString());
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            candidates.add("/usr/bin/python3");
        }
        return new ArrayList<>(candidates);
    }

    private static Optional<String> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean runs(String interpreter, String code) {
        return output(interpreter, "-c", code).isPresent();
    }

    /** The command's output when it exits 0 within 20 s. */
    private static Optional<String> output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return Optional.of(text);
            }
            process.destroyForcibly();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Single-quoted for /bin/sh. */
    static String quote(String word) {
        return word.matches("[A-Za-z0-9_./=:+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
