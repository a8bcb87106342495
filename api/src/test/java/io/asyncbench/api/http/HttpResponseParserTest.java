package io.asyncbench.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResponseParserTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void parsesAnInterimContinueThenTheFinalResponse() throws HttpException {
        HttpResponseParser parser = new HttpResponseParser(8192);
        ByteBuffer input = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok");
        assertThat(parser.parse(input).status()).isEqualTo(100);
        HttpResponseParser.Response response = parser.parse(input);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-a")).isEqualTo("b");
        assertThat(response.bodyText()).isEqualTo("ok");
    }

    @Test
    void bodySplitAcrossReadsIsReassembled() throws HttpException {
        HttpResponseParser parser = new HttpResponseParser(8192);
        assertThat(parser.parse(bytes("HTTP/1.1 200 OK\r\nContent-Le"))).isNull();
        assertThat(parser.parse(bytes("ngth: 5\r\nConnection: close\r\n\r\nhe"))).isNull();
        HttpResponseParser.Response response = parser.parse(bytes("llo"));
        assertThat(response.bodyText()).isEqualTo("hello");
        assertThat(response.close()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SMTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n"})
    void malformedResponsesAreBadGateway(String raw) {
        assertThatThrownBy(() -> new HttpResponseParser(8192).parse(bytes(raw)))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_GATEWAY));
    }
}
