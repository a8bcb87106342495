package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** The options land on the socket as given, the kernel's defaults kept where none is given. */
class SocketOptionsTest {

    @Test
    void appliesNoDelayAndTheBufferSizesToAConnection() throws Exception {
        try (SocketChannel socket = SocketChannel.open()) {
            new SocketOptions(true, true, 16, 32 * 1024, 48 * 1024).applyTo(socket);
            assertThat(socket.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            // Linux doubles the size asked for, for its bookkeeping: at least what was asked.
            assertThat(socket.getOption(StandardSocketOptions.SO_RCVBUF)).isGreaterThanOrEqualTo(32 * 1024);
            assertThat(socket.getOption(StandardSocketOptions.SO_SNDBUF)).isGreaterThanOrEqualTo(48 * 1024);
        }
    }

    @Test
    void leavesTheBuffersToTheKernelWhenNoSizeIsGiven() throws Exception {
        try (SocketChannel untouched = SocketChannel.open(); SocketChannel socket = SocketChannel.open()) {
            new SocketOptions(false, true, 16, 0, 0).applyTo(socket);
            assertThat(socket.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
            assertThat(socket.getOption(StandardSocketOptions.SO_RCVBUF))
                    .isEqualTo(untouched.getOption(StandardSocketOptions.SO_RCVBUF));
            assertThat(socket.getOption(StandardSocketOptions.SO_SNDBUF))
                    .isEqualTo(untouched.getOption(StandardSocketOptions.SO_SNDBUF));
        }
    }

    @Test
    void setsReuseAddressOnAListener() throws Exception {
        try (ServerSocketChannel on = ServerSocketChannel.open(); ServerSocketChannel off = ServerSocketChannel.open()) {
            new SocketOptions(true, true, 16, 0, 0).applyToListener(on);
            new SocketOptions(true, false, 16, 0, 0).applyToListener(off);
            assertThat(on.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();
            assertThat(off.getOption(StandardSocketOptions.SO_REUSEADDR)).isFalse();
        }
    }
}
