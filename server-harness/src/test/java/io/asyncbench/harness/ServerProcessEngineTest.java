package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Workload;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server started the way every benchmark starts it ({@link ServerProcess} with
 * {@link JvmFlags#SERVER}) runs its engine as production would: Netty must have
 * {@code sun.misc.Unsafe}, or every Netty figure measures its slow path.
 */
@Timeout(90)
class ServerProcessEngineTest {

    @ParameterizedTest(name = "[{0}] the server JVM lets Netty use Unsafe")
    @ValueSource(strings = {"netty-nio", "netty-epoll"})
    void nettyServersRunWithUnsafe(String strategy) throws Exception {
        assumeTrue(Strategies.byId(strategy).availability().available(),
                () -> strategy + " is unavailable here: " + Strategies.byId(strategy).availability().reason());
        try (ServerProcess server = ServerProcess.start(strategy, Workload.HTTP, 1, 1, List.of(), List.of(),
                List.of(), Duration.ofSeconds(60))) {
            assertThat(server.command()).containsSubsequence(JvmFlags.SERVER);
            assertThat(server.engineFacts())
                    .as("engine facts of %s started with %s", strategy, server.command())
                    .containsEntry("netty.unsafe", "true");
        }
    }

    @Test
    void aStrategyOnAPreviewApiGetsItsJvmOptionsInItsServerJvmOnly() throws Exception {
        assertThat(ServerProcess.jvmOptionsOf("structured")).containsExactly("--enable-preview");
        assertThat(ServerProcess.jvmOptionsOf("virtual-threads")).isEmpty();
        try (ServerProcess server = ServerProcess.start("structured", Workload.GATEWAY, 1, 1,
                List.of(new java.net.InetSocketAddress("127.0.0.1", 9)), List.of(), List.of(), Duration.ofSeconds(60))) {
            assertThat(server.command()).containsSubsequence(JvmFlags.SERVER).contains("--enable-preview");
            assertThat(server.isAlive()).as("its gateway, which loads the preview class, started").isTrue();
        }
    }

    @Test
    void theServerJvmAcceptsTheFlagsThatMakeRecordedSamplesPrecise() throws Exception {
        try (ServerProcess server = ServerProcess.start("selector", Workload.HTTP, 1, 1, List.of(), List.of(),
                FlightRecording.PRECISE_FRAMES_FLAGS, Duration.ofSeconds(60))) {
            assertThat(server.command()).containsSubsequence(FlightRecording.PRECISE_FRAMES_FLAGS);
            assertThat(server.isAlive()).as("the JVM took the flags and serves").isTrue();
            assertThat(server.jfr("start")).as("and records").isEqualTo("started");
            assertThat(server.jfr("discard")).isEqualTo("discarded");
        }
    }
}
