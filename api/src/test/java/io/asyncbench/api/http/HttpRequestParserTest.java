package io.asyncbench.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRequestParserTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<HttpRequest> parseAll(HttpRequestParser parser, ByteBuffer input) throws HttpException {
        List<HttpRequest> requests = new ArrayList<>();
        HttpRequest request;
        while ((request = parser.parse(input)) != null) {
            requests.add(request);
        }
        return requests;
    }

    @Test
    void parsesAGetWithWrkStyleHeaders() throws HttpException {
        HttpRequest request = new HttpRequestParser(Limits.DEFAULTS)
                .parse(bytes("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"));
        assertThat(request.method()).isEqualTo(HttpMethod.GET);
        assertThat(request.endpoint()).isEqualTo(Endpoint.PLAINTEXT);
        assertThat(request.keepAlive()).isTrue();
        assertThat(request.http10()).isFalse();
    }

    @Test
    void sameRequestsWhetherFedWholeOrByteByByte() throws HttpException {
        String stream = "GET /json HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /delay?ms=25 HTTP/1.1\r\nConnection: close\r\n\r\n";
        List<HttpRequest> whole = parseAll(new HttpRequestParser(Limits.DEFAULTS), bytes(stream));

        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        List<HttpRequest> trickled = new ArrayList<>();
        for (byte b : stream.getBytes(StandardCharsets.ISO_8859_1)) {
            trickled.addAll(parseAll(parser, ByteBuffer.wrap(new byte[] {b})));
        }

        assertThat(whole).hasSize(3);
        assertThat(trickled).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(trickled.get(i)).usingRecursiveComparison().isEqualTo(whole.get(i));
        }
        assertThat(new String(whole.get(1).body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(whole.get(2).delayMs()).isEqualTo(25);
        assertThat(whole.get(2).keepAlive()).isFalse();
        assertThat(parser.isIdle()).isTrue();
    }

    @Test
    void sixteenPipelinedRequestsInOneReadComeOutInOrder() throws HttpException {
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            stream.append(i % 2 == 0 ? "GET /plaintext" : "GET /json").append(" HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        ByteBuffer input = bytes(stream.toString());
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        List<HttpRequest> requests = parseAll(parser, input);
        assertThat(requests).hasSize(16);
        for (int i = 0; i < 16; i++) {
            assertThat(requests.get(i).endpoint()).isEqualTo(i % 2 == 0 ? Endpoint.PLAINTEXT : Endpoint.JSON);
        }
        assertThat(input.hasRemaining()).isFalse();
    }

    @Test
    void http10ClosesUnlessItAsksForKeepAlive() throws HttpException {
        assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(bytes("GET /json HTTP/1.0\r\n\r\n")).keepAlive())
                .isFalse();
        HttpRequest keep = new HttpRequestParser(Limits.DEFAULTS)
                .parse(bytes("GET /json HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
        assertThat(keep.keepAlive()).isTrue();
        assertThat(keep.http10()).isTrue();
    }

    @Test
    void expectContinueIsSignalledOnceBeforeTheBody() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.parse(bytes("POST /echo HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")))
                .isNull();
        assertThat(parser.takeContinueRequest()).isTrue();
        assertThat(parser.takeContinueRequest()).isFalse();
        assertThat(parser.parse(bytes("abc")).body()).containsExactly('a', 'b', 'c');
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "GARBAGE\\r\\n\\r\\n                                         | 400",
        "GET /json\\r\\n\\r\\n                                       | 400",
        "GET json HTTP/1.1\\r\\n\\r\\n                               | 400",
        "GET /json HTTP/1.1\\r\\nNoColonHere\\r\\n\\r\\n             | 400",
        "GET /json HTTP/1.1\\r\\nBad Name: x\\r\\n\\r\\n             | 400",
        "GET /json HTTP/1.1\\r\\nA: b\\r\\n folded\\r\\n\\r\\n       | 400",
        "POST /echo HTTP/1.1\\r\\nContent-Length: 12a\\r\\n\\r\\n    | 400",
        "POST /echo HTTP/1.1\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n | 400",
        "GET /delay?ms=abc HTTP/1.1\\r\\n\\r\\n                      | 400",
        "GET /delay HTTP/1.1\\r\\n\\r\\n                             | 400",
        "GET /delay?ms=60001 HTTP/1.1\\r\\n\\r\\n                    | 400",
        "GET /fanout?ms=1&k=0 HTTP/1.1\\r\\n\\r\\n                   | 400",
        "GET /fanout?ms=1&k=65 HTTP/1.1\\r\\n\\r\\n                  | 400",
        "BREW /json HTTP/1.1\\r\\n\\r\\n                             | 501",
        "POST /echo HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 501",
        "GET /json HTTP/2.0\\r\\n\\r\\n                              | 505",
        "POST /echo HTTP/1.1\\r\\nContent-Length: 1048577\\r\\n\\r\\n | 413",
    })
    void badInputGetsTheStatusTheSpecNames(String request, int status) {
        String raw = request.replace("\\r", "\r").replace("\\n", "\n");
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThatThrownBy(() -> parser.parse(bytes(raw)))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status().code()).isEqualTo(status));
        assertThatThrownBy(() -> parser.parse(bytes("GET /json HTTP/1.1\r\n\r\n")))
                .as("a failed parser refuses further input").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void headersOverTheLimitGet431EvenWhenTheyArriveInPieces() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.parse(bytes("GET /json HTTP/1.1\r\n"))).isNull();
        String header = "X-Filler: " + "a".repeat(1000) + "\r\n";
        assertThatThrownBy(() -> {
            for (int i = 0; i < 9; i++) {
                assertThat(parser.parse(bytes(header))).isNull();
            }
        }).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE));
    }

    @Test
    void unknownPathsAndWrongMethodsParseAndAreAnsweredBy404And405() throws HttpException {
        HttpRequest unknown = new HttpRequestParser(Limits.DEFAULTS).parse(bytes("GET /nope HTTP/1.1\r\n\r\n"));
        assertThat(HttpResponses.immediate(unknown).status()).isEqualTo(HttpStatus.NOT_FOUND);
        HttpRequest wrong = new HttpRequestParser(Limits.DEFAULTS).parse(bytes("DELETE /json HTTP/1.1\r\n\r\n"));
        HttpResponse response = HttpResponses.immediate(wrong);
        assertThat(response.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(new String(response.encode(), StandardCharsets.US_ASCII)).contains("Allow: GET\r\n");
        assertThat(response.close()).isFalse();
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreIgnored() throws HttpException {
        assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(bytes("\r\n\r\nGET /json HTTP/1.1\r\n\r\n")).endpoint())
                .isEqualTo(Endpoint.JSON);
    }

    @Test
    void fanOutUpToMaxFanOutIsTakenAndTheCapComesFromLimits() throws HttpException {
        assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(bytes("GET /fanout?k=64&ms=0 HTTP/1.1\r\n\r\n"))
                .fanout()).isEqualTo(64);
        HttpRequestParser strict = new HttpRequestParser(Limits.DEFAULTS.withFanOutCaps(4, 8));
        assertThatThrownBy(() -> strict.parse(bytes("GET /fanout?k=5&ms=0 HTTP/1.1\r\n\r\n")))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @Test
    void blankLinesBeforeARequestCountTowardTheHeaderLimit() throws HttpException {
        int limit = Limits.DEFAULTS.maxHeaderBytes();
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.parse(bytes("\r\n".repeat(limit / 2 - 1)))).as("one line break short").isNull();
        assertThatThrownBy(() -> parser.parse(bytes("\r\n")))
                .isInstanceOfSatisfying(HttpException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE));

        // Blank lines and the head after them share the one limit.
        String head = "GET /json HTTP/1.1\r\nX-Filler: " + "a".repeat(100) + "\r\n\r\n";
        String fits = "\n".repeat(limit - head.length()) + head;
        assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(bytes(fits)).endpoint()).isEqualTo(Endpoint.JSON);
        assertThatThrownBy(() -> new HttpRequestParser(Limits.DEFAULTS).parse(bytes("\n" + fits)))
                .isInstanceOf(HttpException.class);
    }

    @Test
    void blankLinesCountOnlyForTheRequestTheyPrecede() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        String request = "\r\n".repeat(3000) + "GET /json HTTP/1.1\r\n\r\n";
        for (int i = 0; i < 4; i++) {
            assertThat(parser.parse(bytes(request)).endpoint()).as("request %d", i).isEqualTo(Endpoint.JSON);
        }
    }

    @Test
    void saysOncePerHeadWhenAnUnfinishedHeadBegan() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.isReadingHead()).isFalse();
        assertThat(parser.takeHeadStarted()).isFalse();

        assertThat(parser.parse(bytes("GET /json HTTP/1.1\r\n\r\n"))).isNotNull();
        assertThat(parser.takeHeadStarted()).as("a whole request does not count").isFalse();

        assertThat(parser.parse(bytes("GET /json HT"))).isNull();
        assertThat(parser.isReadingHead()).isTrue();
        assertThat(parser.takeHeadStarted()).isTrue();
        assertThat(parser.takeHeadStarted()).as("only once").isFalse();
        assertThat(parser.parse(bytes("TP/1.1\r\nHost: x\r\n"))).isNull();
        assertThat(parser.takeHeadStarted()).as("the same head goes on").isFalse();

        // The end of that head and the start of the next one in the same read: a new head began.
        ByteBuffer read = bytes("\r\nGET /pla");
        assertThat(parser.parse(read)).isNotNull();
        assertThat(parser.parse(read)).isNull();
        assertThat(parser.takeHeadStarted()).isTrue();

        HttpRequestParser blank = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(blank.parse(bytes("\r\n"))).isNull();
        assertThat(blank.isReadingHead()).as("blank lines start the head's clock").isTrue();
        assertThat(blank.takeHeadStarted()).isTrue();

        HttpRequestParser body = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(body.parse(bytes("POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nab"))).isNull();
        assertThat(body.isReadingHead()).as("a body is not a head").isFalse();
        assertThat(body.takeHeadStarted()).isFalse();
    }
}
