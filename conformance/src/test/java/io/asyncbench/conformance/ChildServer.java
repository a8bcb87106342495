package io.asyncbench.conformance;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.Workload;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * {@code asyncbench serve}, reduced to what a test that runs a server in its own process needs:
 * starts one strategy's http server on loopback, prints {@code listening on <port>}, and serves
 * until standard input closes. {@link ChildServerProcess} starts it, for instance under
 * {@code prlimit}.
 *
 * <p>Before starting, it loads every class of the class path's directories. A server is run from
 * jars (the shaded benchmarks.jar), whose files are open from the first class on, so loading a
 * class later needs no new descriptor; a test's class path holds {@code target/classes}
 * directories, where every class loaded late opens a file, and fails to when none is free. Loading
 * them first makes the test process behave like the real one; it loads nothing of the logging
 * machinery, which is the server's own job.
 */
public final class ChildServer {

    public static void main(String[] args) throws Exception {
        String strategyId = args[0];
        int ioThreads = Integer.parseInt(args[1]);
        loadClassPathDirectories();
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP).withIoThreads(ioThreads);
        PrintStream out = System.out;
        try (RunningServer server = Strategies.byId(strategyId).start(spec)) {
            out.println("listening on " + server.address().getPort());
            out.flush();
            InputStream control = System.in;
            while (control.read() >= 0) {
                // serve until the test closes our standard input
            }
        }
    }

    private static void loadClassPathDirectories() throws IOException {
        ClassLoader loader = ChildServer.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path root = Path.of(entry);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(file -> file.toString().endsWith(".class")).forEach(file -> {
                    String name = root.relativize(file).toString();
                    name = name.substring(0, name.length() - ".class".length()).replace(File.separatorChar, '.');
                    try {
                        Class.forName(name, false, loader);
                    } catch (ClassNotFoundException | LinkageError skipped) {
                        // module-info, or a class whose optional dependency is absent
                    }
                });
            }
        }
    }

    private ChildServer() {
    }
}
