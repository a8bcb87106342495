package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.http.HttpDate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The HTTP reply check: only exactly the specified response counts. */
class HttpExchangeTest {

    /** Now, so that the Date is within the check's 2 s even late in a long test run. */
    private static String date() {
        return "Date: " + HttpDate.now() + "\r\n";
    }

    private static String good() {
        return "HTTP/1.1 200 OK\r\nServer: asyncbench\r\n" + date()
                + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
    }

    private static HttpExchange plaintext(int pipeline) {
        return (HttpExchange) new Traffic.Http(HttpEndpoint.PLAINTEXT, pipeline).newExchange(0);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void acceptsTheSpecifiedResponseEvenByteByByte() throws LoadException {
        HttpExchange exchange = plaintext(1);
        String request = StandardCharsets.US_ASCII.decode(exchange.nextBatch()).toString();
        assertThat(request).isEqualTo("GET /plaintext HTTP/1.1\r\nHost: asyncbench\r\n\r\n");
        int completed = 0;
        for (byte b : good().getBytes(StandardCharsets.ISO_8859_1)) {
            completed += exchange.consume(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(completed).isEqualTo(1);
        assertThat(exchange.batchComplete()).isTrue();
    }

    @Test
    void acceptsPipelinedResponsesInOneRead() throws LoadException {
        HttpExchange exchange = plaintext(3);
        exchange.nextBatch();
        assertThat(exchange.consume(bytes(good() + good() + good()))).isEqualTo(3);
        assertThat(exchange.batchComplete()).isTrue();
    }

    @Test
    void rejectsAWrongBody() {
        HttpExchange exchange = plaintext(1);
        exchange.nextBatch();
        assertThatThrownBy(() -> exchange.consume(bytes(good().replace("World", "Wörld"))))
                .isInstanceOf(LoadException.class).hasMessageContaining("body byte 8");
    }

    @Test
    void rejectsAWrongStatusLengthTypeOrMissingHeaders() {
        String good = good();
        // good's own Date line: date() a moment later may already be the next second's
        String date = good.substring(good.indexOf("Date: "), good.indexOf("\r\n", good.indexOf("Date: ")) + 2);
        String now = date.substring("Date: ".length(), date.length() - 2);
        String[] wrong = {
            good.replace("200 OK", "404 Not Found"),
            good.replace("200 OK", "200 Fine"),
            good.replace("Content-Length: 13", "Content-Length: 12"),
            good.replace("Content-Length: 13", "Content-Length: 013"),
            good.replace("text/plain", "text/html"),
            good.replace(date, ""),
            good.replace("Server: asyncbench\r\n", ""),
            good.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"),
            good.replace("\r\n\r\n", "\r\nTransfer-Encoding: chunked\r\n\r\n"),
            good.replace("HTTP/1.1", "HTTP/1.0"),
            // what the check used to let through: any extra header, other spellings and orders
            good.replace("\r\n\r\n", "\r\nX-Cache: hit\r\n\r\n"),
            good.replace("\r\n\r\n", "\r\nConnection: keep-alive\r\n\r\n"),
            good.replace("Server: asyncbench", "server: asyncbench"),
            good.replace("Content-Type: text/plain", "Content-Type:  text/plain"),
            good.replace("Server: asyncbench\r\n" + date, date + "Server: asyncbench\r\n"),
            good.replace(date, "Date: " + now.replace("GMT", "UTC") + "\r\n"),
            good.replace(date, "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"),
            good.replace(date, "Date: " + now.substring(0, 28) + "\r\n"),
        };
        for (String response : wrong) {
            HttpExchange exchange = plaintext(1);
            exchange.nextBatch();
            assertThatThrownBy(() -> exchange.consume(bytes(response)))
                    .as(response).isInstanceOf(LoadException.class).hasMessageContaining("response 1");
        }
    }

    @Test
    void rejectsMoreResponsesThanRequests() throws LoadException {
        HttpExchange exchange = plaintext(1);
        exchange.nextBatch();
        assertThatThrownBy(() -> exchange.consume(bytes(good() + good())))
                .isInstanceOf(LoadException.class).hasMessageContaining("after the 1 response(s)");
    }

    @Test
    void checksTheGatewayAggregate() throws LoadException {
        Exchange exchange = new Traffic.Gateway(4, 1).newExchange(0);
        String request = StandardCharsets.US_ASCII.decode(exchange.nextBatch()).toString();
        assertThat(request).startsWith("GET /fanout?k=4&ms=1 HTTP/1.1\r\n");
        String body = "{\"k\":4,\"ms\":1,\"ok\":4}";
        String ok = "HTTP/1.1 200 OK\r\nServer: asyncbench\r\n" + date() + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        assertThat(exchange.consume(bytes(ok))).isEqualTo(1);
        exchange.nextBatch();
        assertThatThrownBy(() -> exchange.consume(bytes(ok.replace("\"ok\":4", "\"ok\":3"))))
                .isInstanceOf(LoadException.class);
    }
}
