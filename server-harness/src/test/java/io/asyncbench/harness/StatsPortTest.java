package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stats port answers stats to holders of the token, and refuses everything else clearly. */
@Timeout(30)
class StatsPortTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final AtomicInteger afterGc = new AtomicInteger();

    private StatsPort open(String token) throws IOException {
        return StatsPort.open(LOOPBACK, token, gc -> {
            if (gc) {
                afterGc.incrementAndGet();
            }
            return ServerStats.withFacts(ServerStats.sample(List.of()).toJson(), "host", Map.of("cpus", "2"));
        });
    }

    @Test
    void answersTheStatsLineToTheTokenHolder() throws IOException {
        try (StatsPort port = open("s3cret"); StatsClient client = StatsClient.connect(port.address(), "s3cret", TIMEOUT)) {
            ServerStats first = client.stats(false);
            assertThat(first.cpuNanos()).isPositive();
            assertThat(ServerStats.facts(client.line(true), "host")).containsEntry("cpus", "2");
            assertThat(afterGc).as("'stats gc' collects first").hasValue(1);
            assertThat(client.stats(false).cpuNanos()).isGreaterThanOrEqualTo(first.cpuNanos());
        }
    }

    @Test
    void refusesAWrongTokenAndTheNextHolderIsServed() throws IOException {
        try (StatsPort port = open("s3cret")) {
            assertThatThrownBy(() -> StatsClient.connect(port.address(), "guess", TIMEOUT))
                    .isInstanceOf(IOException.class).hasMessageContaining("refused: wrong token");
            try (StatsClient client = StatsClient.connect(port.address(), "s3cret", TIMEOUT)) {
                assertThat(client.stats(false).threads()).isPositive();
            }
        }
    }

    @Test
    void isReadOnly() throws IOException {
        try (StatsPort port = open("s3cret")) {
            for (String command : List.of("quit", "jfr start", "stats please")) {
                assertThat(exchange(port, "token s3cret", command))
                        .containsExactly("ok", "refused: this port is read-only: it answers 'stats' and 'stats gc', not '"
                                + command + "'");
            }
            assertThat(exchange(port, "stats")).singleElement().asString()
                    .startsWith("refused: say 'token <T>' first");
            assertThat(exchange(port, "token " + "x".repeat(StatsPort.MAX_LINE))).singleElement().asString()
                    .startsWith("refused: a line longer than");
        }
    }

    @Test
    void servesSeveralLoadHostsAtOnceUpToItsLimit() throws IOException {
        try (StatsPort port = open("s3cret")) {
            List<StatsClient> hosts = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < StatsPort.MAX_CLIENTS; i++) {
                    hosts.add(StatsClient.connect(port.address(), "s3cret", TIMEOUT));
                }
                for (StatsClient host : hosts) {
                    assertThat(host.stats(false).cpuNanos()).as("every connected host is answered").isPositive();
                }
                assertThat(exchange(port, "token s3cret")).singleElement().asString()
                        .isEqualTo("refused: " + StatsPort.MAX_CLIENTS + " clients are connected already");
            } finally {
                hosts.forEach(StatsClient::close);
            }
        }
    }

    @Test
    void closeStopsListeningAndEndsItsThreads() throws IOException {
        StatsPort port = open("s3cret");
        InetSocketAddress address = port.address();
        StatsClient idle = StatsClient.connect(address, "s3cret", TIMEOUT);
        StatsClient other = StatsClient.connect(address, "s3cret", TIMEOUT);
        assertThat(port.threads()).isEqualTo(3);
        port.close();
        idle.close();
        other.close();
        assertThat(port.threads()).as("the acceptor and both clients' threads ended").isZero();
        assertThatThrownBy(() -> StatsClient.connect(address, "s3cret", TIMEOUT)).isInstanceOf(IOException.class);
    }

    @Test
    void aTokenIsOneWord() {
        assertThatThrownBy(() -> open(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> open("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThat(StatsPort.newToken()).hasSize(32).isHexadecimal().isNotEqualTo(StatsPort.newToken());
    }

    /** Sends {@code lines} on a new connection; returns every line answered until the port closes it. */
    private static List<String> exchange(StatsPort port, String... lines) throws IOException {
        try (Socket socket = new Socket(port.address().getAddress(), port.address().getPort())) {
            socket.setSoTimeout(Math.toIntExact(TIMEOUT.toMillis()));
            socket.getOutputStream().write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .lines().toList();
        }
    }
}
