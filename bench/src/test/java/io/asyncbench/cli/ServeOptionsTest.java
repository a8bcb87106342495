package io.asyncbench.cli;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import io.asyncbench.harness.ServeCommand;
import io.asyncbench.harness.cli.HostPort;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How serve's options become the ServerSpec handed to the strategy. */
class ServeOptionsTest {

    private static ServeCommand parse(String... args) {
        return (ServeCommand) AsyncBenchCli.commandLine().parseArgs(args).subcommand()
                .commandSpec().userObject();
    }

    @Test
    void defaultsAreLoopbackEphemeralEchoWithOneLoopPerCore() {
        ServerSpec spec = parse("serve", "-s", "fake-echo").serverSpec();

        assertThat(spec).isEqualTo(ServerSpec.loopback(Workload.ECHO));
    }

    @Test
    void everyOptionReachesTheSpec() throws Exception {
        ServerSpec spec = parse("serve", "--strategy", "fake-echo", "--workload", "PROXY",
                "--bind", "0.0.0.0", "--port", "8080", "--threads", "3",
                "--backend", "127.0.0.1:9000", "--backend", "[::1]:9001").serverSpec();

        assertThat(spec).isEqualTo(new ServerSpec(Workload.PROXY,
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080), 3,
                SocketOptions.DEFAULTS, Limits.DEFAULTS,
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000),
                        new InetSocketAddress(InetAddress.getByName("::1"), 9001))));
    }

    @Test
    void addressesPrintTheWayTheyParse() {
        InetSocketAddress v6 = HostPort.parse("[::1]:9001");

        assertThat(HostPort.format(v6)).isEqualTo("[0:0:0:0:0:0:0:1]:9001");
        assertThat(HostPort.parse(HostPort.format(v6))).isEqualTo(v6);
        assertThat(HostPort.format(HostPort.parse("localhost:80"))).isEqualTo("127.0.0.1:80");
    }
}
