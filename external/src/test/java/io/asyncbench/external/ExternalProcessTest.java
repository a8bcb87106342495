package io.asyncbench.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExternalProcessTest {

    @Test
    void aCommandThatExitsBeforeListeningFailsWithItsOutput() {
        ExternalServerStrategy failing = new ExternalServerStrategy(
                ExternalServer.parse("failing:echo=sh -c 'echo no such server on {port}; exit 3'"));
        assertThatThrownBy(() -> failing.start(ServerSpec.loopback(Workload.ECHO)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with 3").hasMessageContaining("no such server on");
    }

    @Test
    void closeStopsTheProcessAndFreesThePort() throws Exception {
        // A listener that needs neither Python nor a compiler: this JDK runs the source file.
        String java = ProcessHandle.current().info().command().orElseThrow();
        String server = java + " src/test/java/io/asyncbench/external/ListenForever.java {port}";
        ExternalServerStrategy listening = new ExternalServerStrategy(ExternalServer.parse("listen:echo=" + server));
        ExternalProcess process = listening.start(ServerSpec.loopback(Workload.ECHO), List.of(),
                null);
        int port = process.address().getPort();
        try (Socket client = new Socket(process.address().getAddress(), port)) {
            assertThat(client.isConnected()).isTrue();
        }
        process.close();
        assertThat(process.isAlive()).isFalse();
        try (ServerSocket rebound = new ServerSocket(port, 1, process.address().getAddress())) {
            assertThat(rebound.getLocalPort()).isEqualTo(port);
        }
    }
}
