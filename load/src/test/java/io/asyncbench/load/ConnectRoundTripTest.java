package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ConnectRoundTripTest {

    @Test
    void timesEveryConnectAndOrdersTheFigures() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ConnectRoundTrip rtt = ConnectRoundTrip.measure(
                    (InetSocketAddress) listener.getLocalSocketAddress(), 9, Duration.ofSeconds(5));
            assertThat(rtt.samples()).isEqualTo(9);
            assertThat(rtt.minMicros()).isPositive().isLessThanOrEqualTo(rtt.medianMicros());
            // loopback: far below a second, whatever the machine
            assertThat(rtt.medianMicros()).isLessThan(1_000_000);
        }
    }

    @Test
    void aServerThatIsNotThereIsAnError() throws IOException {
        InetSocketAddress gone;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            gone = (InetSocketAddress) listener.getLocalSocketAddress();
        }
        InetSocketAddress target = gone;
        assertThatThrownBy(() -> ConnectRoundTrip.measure(target, 3, Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void needsASample() {
        assertThatThrownBy(() -> ConnectRoundTrip.measure(new InetSocketAddress("127.0.0.1", 1), 0,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
