package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/netns/three-hosts end to end: a server and two load hosts in network namespaces of their
 * own, the loads merged and reported, a wrong token refused, and no namespace left behind. The
 * script checks each of these itself and fails with the reason; where it cannot run (not root, no
 * {@code ip netns}) it says why and this test is skipped with that reason.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ThreeHostsScriptTest {

    private static final int SKIPPED = 77;

    @Test
    void aServerAndTwoLoadHostsInNamespacesMergeIntoOneReport(@TempDir Path tmp) throws Exception {
        Path script = repositoryRoot().resolve("tools/netns/three-hosts");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "--strategies", "selector,virtual-threads",
                "--workload", "echo", "--connections", "4", "--duration", "2", "--warmup", "1",
                "--out", tmp.resolve("out").toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("script.log").toFile());
        builder.environment().put("ASYNCBENCH", java + " -cp " + System.getProperty("java.class.path")
                + " " + AsyncBenchCli.class.getName());
        builder.environment().put("TMPDIR", tmp.toString());
        Process process = builder.start();
        try {
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the script ends").isTrue();
        } finally {
            process.destroy();
        }
        String log = Files.readString(tmp.resolve("script.log"), StandardCharsets.UTF_8);
        Assumptions.assumeFalse(process.exitValue() == SKIPPED, () -> log.strip());

        assertThat(process.exitValue()).as(log).isZero();
        assertThat(log).contains("a wrong token is refused: refused: wrong token")
                .contains("every check passed")
                .containsPattern("selector echo over network, 2 load hosts, [0-9,]+ operations: .*server CPU")
                .containsPattern("virtual-threads echo over loopback, 2 load hosts, [0-9,]+ operations: .*server CPU")
                .contains("namespaces removed");
        assertThat(tmp.resolve("out/merged/report/report.md")).isNotEmptyFile();
        String namespaces = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(namespaces).as("every namespace removed").doesNotContain("abns" + process.pid() + "-");
    }

    private static Path repositoryRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("tools/netns/three-hosts"))) {
                return dir;
            }
        }
        throw new IOException("no tools/netns/three-hosts above " + Path.of("").toAbsolutePath());
    }
}
