package io.asyncbench.cli;

import io.asyncbench.harness.cli.HostPort;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ServeCommandTest {

    private static final Pattern LISTENING =
            Pattern.compile("^fake-echo echo listening on (\\S+)$", Pattern.MULTILINE);

    @Test
    void answersOnThePrintedAddressAndStopsWhenInterrupted() throws Exception {
        Cli cli = new Cli();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exitCode = runner.submit(
                    () -> cli.run("serve", "--strategy", "fake-echo", "--threads", "2"));
            InetSocketAddress address = awaitListening(cli, exitCode);

            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("hello, asyncbench".getBytes(US_ASCII));
                socket.shutdownOutput();
                assertThat(new String(socket.getInputStream().readAllBytes(), US_ASCII))
                        .isEqualTo("hello, asyncbench");
            }

            runner.shutdownNow(); // interrupts serve, as the JVM's shutdown would stop it
            assertThat(exitCode.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(cli.out()).contains("fake-echo echo stopped: connections 1 opened / 1 closed, "
                    + "17 B read, 17 B written");
            assertThat(cli.err()).isEmpty();
            assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                    .as("the port is closed once serve returns")
                    .isInstanceOf(ConnectException.class);
        } finally {
            runner.shutdownNow();
            assertThat(runner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Waits for the "listening on" line, failing early if serve ends without printing it. */
    private static InetSocketAddress awaitListening(Cli cli, Future<Integer> exitCode)
            throws Exception {
        Matcher listening = cli.awaitOut(LISTENING, exitCode::isDone).orElseThrow(
                () -> new AssertionError("serve ended with " + exitCode.resultNow() + ": " + cli.err()));
        return HostPort.parse(listening.group(1));
    }
}
