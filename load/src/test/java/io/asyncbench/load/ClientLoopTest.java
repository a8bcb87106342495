package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator counts only verified replies; anything else fails the run. */
@Timeout(30)
class ClientLoopTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void countsVerifiedEchoRoundTrips() throws Exception {
        try (Servers server = new Servers(Servers.echo(-1));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(1024), server.address(), 4, 0, TIMEOUT)) {
            for (int i = 0; i < 200; i++) {
                loop.awaitCompletion();
            }
            assertThat(loop.completed()).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void probesOneConnectionWhileTheOthersKeepTheServerBusy() throws Exception {
        try (Servers server = new Servers(Servers.echo(-1));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(1024), server.address(), 4, 0, TIMEOUT)) {
            for (int i = 0; i < 50; i++) {
                assertThat(loop.probe()).isPositive();
            }
            assertThat(loop.completed()).as("the background connections ran too").isGreaterThan(50);
        }
    }

    @Test
    void largeMessagesAreWrittenAndCheckedInPieces() throws Exception {
        try (Servers server = new Servers(Servers.echo(-1));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(300 * 1024), server.address(), 2, 0, TIMEOUT)) {
            for (int i = 0; i < 10; i++) {
                loop.awaitCompletion();
            }
        }
    }

    @Test
    void aCorruptedByteFailsTheRun() throws Exception {
        try (Servers server = new Servers(Servers.echo(3000));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(1024), server.address(), 1, 0, TIMEOUT)) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10; i++) {
                    loop.awaitCompletion();
                }
            }).isInstanceOf(LoadException.class)
                    .hasMessageContaining("connection 0")
                    .hasMessageContaining("wrong echo: byte 952 of 1024 of message 3");
        }
    }

    @Test
    void aShortReplyFailsTheRun() throws Exception {
        try (Servers server = new Servers(Servers.shortReply(1024, 100));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(1024), server.address(), 1, 0, TIMEOUT)) {
            loop.awaitCompletion();
            assertThatThrownBy(loop::awaitCompletion).isInstanceOf(LoadException.class)
                    .hasMessageContaining("the server closed the connection while the client waited for "
                            + "100 of 1024 bytes of echo message 2");
            assertThat(loop.completed()).isEqualTo(1);
        }
    }

    @Test
    void aMissingReplyFailsTheRunAfterTheReplyTimeout() throws Exception {
        try (Servers server = new Servers(Servers.silent());
             ClientLoop loop = new ClientLoop(new Traffic.Echo(64), server.address(), 1, 0,
                     Duration.ofMillis(300))) {
            assertThatThrownBy(loop::awaitCompletion).isInstanceOf(LoadException.class)
                    .hasMessageContaining("no reply for")
                    .hasMessageContaining("0 of 64 bytes of echo message 1");
        }
    }

    @Test
    void bytesNobodyAskedForFailTheRun() throws Exception {
        try (Servers server = new Servers((in, out) -> {
            // the echo and the extra bytes in one write, so they arrive in one read: written
            // apart, the extra bytes could land after message 2 was sent and read as its wrong echo
            byte[] echo = in.readNBytes(16);
            byte[] surprise = "surprise".getBytes(StandardCharsets.US_ASCII);
            byte[] both = java.util.Arrays.copyOf(echo, echo.length + surprise.length);
            System.arraycopy(surprise, 0, both, echo.length, surprise.length);
            out.write(both);
            in.read();
        });
             ClientLoop loop = new ClientLoop(new Traffic.Echo(16), server.address(), 1, 0, TIMEOUT)) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 3; i++) {
                    loop.awaitCompletion();
                }
            }).isInstanceOf(LoadException.class).hasMessageContaining("more than");
        }
    }

    @Test
    void aServerThatRefusesIsAConnectFailure() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = (InetSocketAddress) closed.getLocalSocketAddress();
        }
        InetSocketAddress target = nobody;
        assertThatThrownBy(() -> new ClientLoop(new Traffic.Echo(16), target, 1, 0, TIMEOUT))
                .isInstanceOf(LoadException.class).hasMessageContaining("cannot connect");
    }

    @Test
    void aStreamIsCheckedByteForByteThroughAnEcho() throws Exception {
        try (Servers server = new Servers(Servers.echo(-1));
             ClientLoop loop = new ClientLoop(new Traffic.Proxy(256 * 1024), server.address(), 2, 0, TIMEOUT)) {
            for (int i = 0; i < 8; i++) {
                loop.awaitCompletion(); // 8 MiB there and back
            }
        }
        try (Servers server = new Servers(Servers.echo(5_000_000));
             ClientLoop loop = new ClientLoop(new Traffic.Proxy(256 * 1024), server.address(), 1, 0, TIMEOUT)) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 8; i++) {
                    loop.awaitCompletion();
                }
            }).isInstanceOf(LoadException.class).hasMessageContaining("stream byte 5000000");
        }
    }

    @Test
    void aLoopKeepsTheModeItStartedIn() throws IOException, LoadException, InterruptedException {
        try (Servers server = new Servers(Servers.echo(-1));
             ClientLoop loop = new ClientLoop(new Traffic.Echo(16), server.address(), 2, 0, TIMEOUT)) {
            loop.awaitCompletion();
            assertThatThrownBy(loop::probe).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aServerAddingAHeaderFailsTheRun() throws Exception {
        Traffic plaintext = new Traffic.Http(HttpEndpoint.PLAINTEXT, 1);
        try (Servers server = new Servers(Servers.plaintextWithExtraHeader(""));
             ClientLoop loop = new ClientLoop(plaintext, server.address(), 1, 0, TIMEOUT)) {
            for (int i = 0; i < 3; i++) {
                loop.awaitCompletion();
            }
            assertThat(loop.completed()).isEqualTo(3);
        }
        try (Servers server = new Servers(Servers.plaintextWithExtraHeader("X-Powered-By: wrong\r\n"));
             ClientLoop loop = new ClientLoop(plaintext, server.address(), 1, 0, TIMEOUT)) {
            assertThatThrownBy(loop::awaitCompletion).isInstanceOf(LoadException.class)
                    .hasMessageContaining("X-Powered-By: wrong")
                    .hasMessageContaining("differs from the specified response");
        }
    }

    @Test
    void repliesCompletedOutsideAnIterationAreDroppedAtItsStart() throws Exception {
        // Pipelined replies are verified as they arrive: the first call hands out one and banks the
        // rest, which belong to the window in which they arrived, not to the next.
        try (Servers server = new Servers(Servers.plaintextWithExtraHeader(""));
             ClientLoop loop = new ClientLoop(new Traffic.Http(HttpEndpoint.PLAINTEXT, 16), server.address(), 1, 0,
                     TIMEOUT)) {
            assertThat(loop.discardCompletedOutsideWindow()).as("nothing runs before the first call").isZero();
            loop.awaitCompletion();
            long dropped = loop.discardCompletedOutsideWindow();
            assertThat(dropped).as("every verified reply but the one handed out").isEqualTo(loop.completed() - 1);
            long before = loop.completed();
            loop.awaitCompletion();
            assertThat(loop.completed()).as("the next reply had to arrive, none was banked").isGreaterThan(before);
        }
    }
}
