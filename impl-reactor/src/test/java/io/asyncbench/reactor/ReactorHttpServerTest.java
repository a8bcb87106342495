package io.asyncbench.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * reactor-netty writes its own response heads; these must be byte for byte what the api's encoder
 * writes (Date aside), closing answers and HTTP/1.0 included, which the gate's rewriting is for.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReactorHttpServerTest {

    private static final String DATE = "Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

    private static String answer(RunningServer server, String request, int length) throws Exception {
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1).replaceFirst(DATE, "Date: -");
        }
    }

    private static String expected(HttpResponse response) {
        return new String(response.encode(), StandardCharsets.ISO_8859_1).replaceFirst(DATE, "Date: -");
    }

    @Test
    void answersAreTheApiEncodersBytes() throws Exception {
        HttpResponse[] responses = {
                new HttpResponse(HttpStatus.OK, ContentType.TEXT_PLAIN, HttpResponses.plaintextBody(), false, false, null, false),
                new HttpResponse(HttpStatus.OK, ContentType.APPLICATION_JSON, HttpResponses.jsonBody(), true, false, null, false),
                new HttpResponse(HttpStatus.OK, ContentType.TEXT_PLAIN, HttpResponses.plaintextBody(), true, false, null, false),
                new HttpResponse(HttpStatus.OK, ContentType.TEXT_PLAIN, HttpResponses.plaintextBody(), false, true, null, false),
                new HttpResponse(HttpStatus.METHOD_NOT_ALLOWED, ContentType.TEXT_PLAIN,
                        HttpStatus.METHOD_NOT_ALLOWED.errorBody(), false, false, HttpMethod.GET, false),
                HttpResponses.error(new HttpException(HttpStatus.BAD_REQUEST, "malformed")),
        };
        String[] requests = {
                "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                "GET /plaintext HTTP/1.0\r\n\r\n",
                "GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                "DELETE /json HTTP/1.1\r\nHost: t\r\n\r\n",
                "GARBAGE\r\n\r\n",
        };
        try (RunningServer server = new ReactorStrategy().start(ServerSpec.loopback(Workload.HTTP))) {
            for (int i = 0; i < requests.length; i++) {
                assertThat(answer(server, requests[i], responses[i].encodedLength()))
                        .as(requests[i]).isEqualTo(expected(responses[i]));
            }
        }
    }
}
