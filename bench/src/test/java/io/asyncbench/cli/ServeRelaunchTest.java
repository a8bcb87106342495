package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code serve} of a strategy that declares JVM options ({@code StrategyFacts.jvmOptions}) from a
 * JVM without them: it serves from a JVM of its own started with them, whose output is its own,
 * and a SIGTERM to it stops both. structured (--enable-preview) is the shipped case.
 */
@Timeout(60)
class ServeRelaunchTest {

    @Test
    void servesFromAJvmWithTheOptionsAndStopsItWhenStopped() throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                AsyncBenchCli.class.getName(), "serve", "--strategy", "structured", "--workload", "http",
                "--port", "0");
        assertThat(ProcessHandle.current().info().arguments().orElse(new String[0]))
                .as("this test's own JVM").doesNotContain("--enable-preview");
        Process serve = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).startsWith("structured http listening on 127.0.0.1:");
            Optional<ProcessHandle> server = serve.toHandle().children().findFirst();
            assertThat(server).as("a JVM of its own").isPresent();
            assertThat(arguments(server.get()))
                    .contains("--enable-preview", "io.asyncbench.harness.ServeCommand", "structured");

            serve.toHandle().destroy(); // SIGTERM, as a user's kill; Process.destroy() would close our pipe
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(serve.exitValue()).as("the server stopped cleanly").isZero();
            assertThat(out.readLine()).startsWith("structured http stopped: connections 0 opened");
            assertThat(server.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            serve.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            serve.destroyForcibly();
        }
    }

    /**
     * A process's arguments. The JDK leaves {@code Info.arguments()} empty when it cannot read them
     * whole (seen with a long class path), so on Linux they are read from /proc, as the JDK does.
     */
    private static List<String> arguments(ProcessHandle process) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        if (Files.isReadable(cmdline)) {
            return List.of(Files.readString(cmdline).split("\0"));
        }
        return List.of(process.info().arguments().orElseThrow(
                () -> new AssertionError("the JDK cannot tell this process's arguments: " + process)));
    }
}
