package io.asyncbench.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ExternalServerTest {

    @Test
    void parsesNameWorkloadAndCommand() {
        ExternalServer server = ExternalServer.parse("mine:HTTP=./srv --port {port} --idle {idle-timeout-ms}");
        assertThat(server.name()).isEqualTo("mine");
        assertThat(server.commands()).containsOnlyKeys(Workload.HTTP);
        assertThat(server.reference()).isFalse();
        assertThat(server.commandLine(Workload.HTTP, "127.0.0.1", 9000, Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(500))))
                .isEqualTo("./srv --port 9000 --idle 500");
    }

    @Test
    void refusesWhatItCannotRunWithAReason() {
        assertThatThrownBy(() -> ExternalServer.parse("mine:http=./srv --port 9000")).hasMessageContaining("{port}");
        assertThatThrownBy(() -> ExternalServer.parse("mine=./srv {port}")).hasMessageContaining("NAME:WORKLOAD=COMMAND");
        assertThatThrownBy(() -> ExternalServer.parse("Mine Server:http=./srv {port}")).hasMessageContaining("name");
        assertThatThrownBy(() -> ExternalServer.parse("mine:gateway=./srv {port}")).hasMessageContaining("echo or http");
        assertThatThrownBy(() -> ExternalServer.parse("mine:smtp=./srv {port}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergesWorkloadsOfOneNameAndRefusesATwiceGivenOne() {
        List<ExternalServer> merged = ExternalServer.merge(List.of(ExternalServer.parse("a:echo=e {port}"),
                ExternalServer.parse("b:http=h {port}"), ExternalServer.parse("a:http=ah {port}")));
        assertThat(merged).extracting(ExternalServer::name).containsExactly("a", "b");
        assertThat(merged.get(0).commands()).containsOnlyKeys(Workload.ECHO, Workload.HTTP);
        assertThatThrownBy(() -> ExternalServer.merge(List.of(ExternalServer.parse("a:echo=e {port}"),
                ExternalServer.parse("a:echo=f {port}")))).hasMessageContaining("twice");
    }

    @Test
    void travelsAsSystemPropertiesAndBack() {
        ExternalServer reference = new ExternalServer("c-epoll", ExternalServer.parse("c-epoll:echo=./s {port}").commands(),
                "C", true, io.asyncbench.api.Availability.availableHere());
        List<ExternalServer> servers = List.of(ExternalServer.parse("mine:http=./srv --port {port} http"), reference);
        Properties properties = new Properties();
        for (String flag : ExternalServers.asFlags(servers)) {
            String[] kv = flag.substring(2).split("=", 2);
            properties.setProperty(kv[0], kv[1]);
        }
        List<ExternalServer> back = ExternalServers.from(properties);
        assertThat(back).extracting(ExternalServer::name).containsExactly("c-epoll", "mine");
        assertThat(back.get(0).reference()).isTrue();
        assertThat(back.get(1).commands().get(Workload.HTTP)).isEqualTo("./srv --port {port} http");
    }

    @Test
    void saysWhichSpecsItCannotHonour() {
        ExternalServerStrategy plain = new ExternalServerStrategy(ExternalServer.parse("p:http=./srv {port}"));
        ExternalServerStrategy idle = new ExternalServerStrategy(
                ExternalServer.parse("i:http=./srv {port} {idle-timeout-ms}"));
        ServerSpec shortIdle = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(500)));
        assertThat(plain.cannotHonour(ServerSpec.loopback(Workload.HTTP))).isEmpty();
        assertThat(plain.cannotHonour(shortIdle)).hasValueSatisfying(r -> assertThat(r).contains("{idle-timeout-ms}"));
        assertThat(idle.cannotHonour(shortIdle)).isEmpty();
        assertThat(plain.cannotHonour(ServerSpec.loopback(Workload.HTTP)
                .withSocketOptions(new SocketOptions(true, true, 4096, 65536, 65536)))).isPresent();
        assertThat(plain.cannotHonour(ServerSpec.loopback(Workload.HTTP)
                .withBindAddress(new InetSocketAddress("0.0.0.0", 0)))).hasValueSatisfying(r -> assertThat(r).contains("{host}"));
    }

    @Test
    void quotesPathsForTheShell() {
        assertThat(References.quote("/usr/bin/python3")).isEqualTo("/usr/bin/python3");
        assertThat(References.quote("/a b/it's")).isEqualTo("'/a b/it'\\''s'");
    }
}
