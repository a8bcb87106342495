package io.asyncbench.vertx;

import io.asyncbench.api.*;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DebugBoundTest {
    @Test
    void debug() throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP).withSocketOptions(new io.asyncbench.api.SocketOptions(true, true, 4096, 16384, 16384));
        byte[] all = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n".repeat(10000).getBytes(StandardCharsets.US_ASCII);
        try (RunningServer server = new VertxStrategy().start(spec); Socket s = new Socket()) {
            s.setReceiveBufferSize(16384); s.setSendBufferSize(16384);
            s.connect(server.address());
            OutputStream out = s.getOutputStream();
            Thread w = Thread.ofVirtual().start(() -> { try { out.write(all); out.flush(); } catch (Exception e) { System.err.println("writer " + e); } });
            Thread.sleep(2000);
            System.err.println("read " + server.counters().bytesRead() + " written " + server.counters().bytesWritten() + " req " + server.counters().requests() + " errors " + server.counters().errors());
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536]; long total = 0; int n;
            s.setSoTimeout(5000);
            try { while ((n = in.read(buf)) > 0) { total += n; if (total > 10000L * 100) break; } } catch (Exception e) { System.err.println("read " + e); }
            System.err.println("got " + total + " req " + server.counters().requests() + " errors " + server.counters().errors());
        }
    }
}
