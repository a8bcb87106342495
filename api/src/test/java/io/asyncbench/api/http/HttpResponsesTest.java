package io.asyncbench.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponsesTest {

    private static HttpRequest request(String raw) throws HttpException {
        return new HttpRequestParser(Limits.DEFAULTS).parse(ByteBuffer.wrap(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void plaintextHasTheTechEmpowerHeadersAndBody() throws HttpException {
        HttpResponse response = HttpResponses.immediate(request("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"));
        byte[] encoded = response.encode();
        String text = new String(encoded, StandardCharsets.US_ASCII);
        assertThat(encoded).hasSize(response.encodedLength());
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Server: asyncbench\r\n", "Content-Type: text/plain\r\n", "Content-Length: 13\r\n")
                .containsPattern("Date: \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n")
                .endsWith("\r\n\r\nHello, World!")
                .doesNotContain("Connection:");
    }

    @Test
    void contentLengthIsEveryBodyLengthInDecimalAndTheCountedLengthIsWhatIsWritten() {
        for (int length : new int[] {0, 1, 9, 10, 13, 99, 100, 101, 999, 1000, 4096, 65_535, 1_048_576}) {
            HttpResponse response = new HttpResponse(HttpStatus.OK, ContentType.TEXT_PLAIN, new byte[length], false, false,
                    null, false);
            ByteBuffer out = ByteBuffer.allocateDirect(response.encodedLength() + 7);
            out.position(7); // written where the buffer's position is, not from 0
            response.encodeTo(out);
            assertThat(out.position()).as("length " + length).isEqualTo(7 + response.encodedLength());
            byte[] head = new byte[Math.min(out.position() - 7, 300)];
            out.get(7, head);
            assertThat(new String(head, StandardCharsets.US_ASCII)).contains("\r\nContent-Length: " + length + "\r\n");
        }
    }

    @Test
    void responsesRoundTripThroughTheClientParserEvenPipelined() throws HttpException {
        HttpResponse json = HttpResponses.immediate(request("GET /json HTTP/1.1\r\nHost: t\r\n\r\n"));
        HttpResponse echo = HttpResponses.immediate(
                request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nConnection: close\r\n\r\n\u0001\u0002\u0003"));
        ByteBuffer stream = ByteBuffer.allocate(json.encodedLength() + echo.encodedLength());
        json.encodeTo(stream);
        echo.encodeTo(stream);
        stream.flip();
        HttpResponseParser parser = new HttpResponseParser(8192);
        HttpResponseParser.Response first = parser.parse(stream);
        HttpResponseParser.Response second = parser.parse(stream);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bodyText()).isEqualTo("{\"message\":\"Hello, World!\"}");
        assertThat(first.close()).isFalse();
        assertThat(second.body()).containsExactly(1, 2, 3);
        assertThat(second.close()).as("the echo request did not keep alive").isTrue();
        assertThat(parser.isIdle()).isTrue();
    }

    @Test
    void delayAndFanoutBodiesAreDeterministic() throws HttpException {
        HttpRequest fanout = request("GET /fanout?k=4&ms=1 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(HttpResponses.needsWaiting(fanout)).isTrue();
        assertThat(new String(HttpResponses.fanout(fanout).body(), StandardCharsets.US_ASCII))
                .isEqualTo("{\"k\":4,\"ms\":1,\"ok\":4}");
        assertThat(new String(HttpResponses.delayBody(7), StandardCharsets.US_ASCII)).isEqualTo("slept 7 ms");
    }

    @Test
    void http10KeepAliveIsConfirmedAndParseErrorsClose() throws HttpException {
        HttpResponse keep = HttpResponses.immediate(request("GET /json HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        assertThat(new String(keep.encode(), StandardCharsets.US_ASCII)).contains("Connection: keep-alive\r\n");
        HttpResponse bad = HttpResponses.error(new HttpException(HttpStatus.BAD_REQUEST, "x"));
        assertThat(bad.close()).isTrue();
        assertThat(new String(bad.encode(), StandardCharsets.US_ASCII))
                .startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close\r\n").endsWith("400 Bad Request\n");
    }

    @Test
    void headGetsTheHeadWithContentLengthButNoBody() throws HttpException {
        HttpResponse response = HttpResponses.immediate(request("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"));
        String text = new String(response.encode(), StandardCharsets.US_ASCII);
        assertThat(response.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(text).contains("Content-Length: 23\r\n").endsWith("\r\n\r\n");
        assertThat(response.encode()).hasSize(response.encodedLength());
    }
}
