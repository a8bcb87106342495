package io.asyncbench.vertx;

import io.asyncbench.api.*;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

class DebugBoundTest {
    @Test
    void debug() throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO).withSocketOptions(new SocketOptions(true, true, 4096, 65536, 65536));
        try (RunningServer server = new VertxStrategy().start(spec); SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
            ch.connect(server.address());
            Thread w = Thread.ofVirtual().start(() -> {
                ByteBuffer b = ByteBuffer.allocate(65536);
                try { while (true) { b.clear(); while (b.hasRemaining()) ch.write(b); } } catch (Exception e) {}
            });
            for (int i = 0; i < 6; i++) {
                Thread.sleep(500);
                System.err.println("read " + server.counters().bytesRead() + " written " + server.counters().bytesWritten());
            }
            Process p = new ProcessBuilder("ss", "-tmin", "sport", "=", ":" + server.address().getPort()).inheritIO().start();
            p.waitFor();
            ch.close();
        }
    }
}
