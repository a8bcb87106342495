package io.asyncbench.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VertxHttpServerTest {

    @Test
    void answersEveryVersionInHttp11() {
        EmbeddedChannel channel = new EmbeddedChannel(VertxHttpAnswers.VERSION);
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK));
        HttpResponse written = channel.readOutbound();
        assertThat(written.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);
        channel.finishAndReleaseAll();
    }

    @Test
    void anHttp10RequestGetsAnHttp11AnswerThenTheClose() throws Exception {
        try (RunningServer server = new VertxStrategy().start(ServerSpec.loopback(Workload.HTTP));
             Socket socket = new Socket()) {
            socket.connect(server.address(), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /plaintext HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nHello, World!")
                    .containsIgnoringCase("Connection: close");
        }
    }

    @Test
    void aPipelinedRequestBehindADelayWaitsItsTurn() throws Exception {
        try (RunningServer server = new VertxStrategy().start(ServerSpec.loopback(Workload.HTTP));
             Socket socket = new Socket()) {
            socket.connect(server.address(), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /delay?ms=50 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answers = readToEnd(socket.getInputStream());
            assertThat(answers.indexOf("slept 50 ms")).isPositive()
                    .isLessThan(answers.indexOf("{\"message\":\"Hello, World!\"}"));
            assertThat(server.counters().requests()).isEqualTo(2);
        }
    }

    private static String readToEnd(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.US_ASCII);
    }
}
