package io.asyncbench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/**
 * The network round-trip time to a server, measured as TCP connects take it: {@code connect}
 * returns when the server's kernel has answered the SYN, one round trip with no application
 * code in it (neither the server's nor a stats reply's). The median of several, and the least.
 *
 * @param minMicros    the fastest connect, microseconds
 * @param medianMicros the median connect, microseconds
 * @param samples      how many connects were timed
 */
public record ConnectRoundTrip(double minMicros, double medianMicros, int samples) {

    /** Times {@code samples} connects to {@code target}, each closed at once. */
    public static ConnectRoundTrip measure(InetSocketAddress target, int samples, Duration timeout) throws IOException {
        if (samples < 1) {
            throw new IllegalArgumentException("need at least one sample");
        }
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            try (Socket socket = new Socket()) {
                long start = System.nanoTime();
                socket.connect(target, millis);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return new ConnectRoundTrip(nanos[0] / 1e3, nanos[samples / 2] / 1e3, samples);
    }
}
