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

    @Test
    void aHeaderNameOrMethodTakesExactlyTheTokenCharactersOfRfc9110() throws HttpException {
        String tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int c = 0x21; c <= 0xff; c++) {
            if (c == ':' || c == 0x7f) {
                continue; // a colon ends the name; DEL is refused before the name is looked at
            }
            byte[] name = {'X', (byte) c, 'Y'};
            ByteBuffer header = ByteBuffer.allocate(64).put("GET / HTTP/1.1\r\nHost: t\r\n".getBytes(StandardCharsets.US_ASCII))
                    .put(name).put(": v\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).flip();
            ByteBuffer method = ByteBuffer.allocate(64).put(name)
                    .put(" / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).flip();
            String what = "byte 0x" + Integer.toHexString(c);
            if (tchar.indexOf(c) >= 0) {
                assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(header)).as(what).isNotNull();
                assertThatThrownBy(() -> new HttpRequestParser(Limits.DEFAULTS).parse(method)).as(what)
                        .isInstanceOf(HttpException.class).hasMessageContaining("unknown method");
            } else {
                assertThatThrownBy(() -> new HttpRequestParser(Limits.DEFAULTS).parse(header)).as(what)
                        .isInstanceOf(HttpException.class).hasMessageContaining("invalid character in header name");
                assertThatThrownBy(() -> new HttpRequestParser(Limits.DEFAULTS).parse(method)).as(what)
                        .isInstanceOf(HttpException.class).hasMessageContaining("invalid character in method");
            }
        }
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
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /delay?ms=2%35 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
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
        assertThat(parser.parse(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")))
                .isNull();
        assertThat(parser.takeContinueRequest()).isTrue();
        assertThat(parser.takeContinueRequest()).isFalse();
        assertThat(parser.parse(bytes("abc")).body()).containsExactly('a', 'b', 'c');
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "GARBAGE\\r\\n\\r\\n                                         | 400",
        "GET /json\\r\\nHost: h\\r\\n\\r\\n                          | 400",
        "GET json HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                  | 400",
        "GET /json HTTP/1.1\\r\\nHost: h\\r\\nNoColonHere\\r\\n\\r\\n | 400",
        "GET /json HTTP/1.1\\r\\nHost: h\\r\\nBad Name: x\\r\\n\\r\\n | 400",
        "GET /json HTTP/1.1\\r\\nHost: h\\r\\nA:\\r\\n folded\\r\\n\\r\\n | 400",
        "GET /json HTTP/1.1\\r\\n folded: x\\r\\nHost: h\\r\\n\\r\\n | 400",
        "GET /json HTTP/1.1\\r\\nHost: h\\r\\nA: a\\rb\\r\\n\\r\\n     | 400",
        "GET /json HTTP/1.1\\r\\nHost: h\\r\\nA: a\\u0000b\\r\\n\\r\\n | 400",
        "GET /json HTTP/1.1\\r\\nHost: h\\r\\nA: a\\u000bb\\r\\n\\r\\n | 400",
        "GET /json HTTP/1.1\\r\\nHost: h\\r\\nA: a\\u007fb\\r\\n\\r\\n | 400",
        "GET /json HTTP/1.1 \\r\\nHost: h\\r\\n\\r\\n                 | 400",
        "GET /json http/1.1\\r\\nHost: h\\r\\n\\r\\n                  | 400",
        "GET /json HTTP/1.10\\r\\nHost: h\\r\\n\\r\\n                 | 400",
        "GET /json\\u00e9 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n            | 400",
        "GET /json HTTP/1.1\\r\\n\\r\\n                              | 400",
        "GET /json HTTP/1.1\\r\\nHost: a\\r\\nHost: a\\r\\n\\r\\n      | 400",
        "GET /json HTTP/1.1\\r\\nHost: a@b\\r\\n\\r\\n                | 400",
        "GET ftp://h/json HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n           | 400",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 12a\\r\\n\\r\\n | 400",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\n | 400",
        "POST /echo HTTP/1.0\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n | 400",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n | 400",
        "GET /delay?ms=abc HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n          | 400",
        "GET /delay?ms=%zz HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n          | 400",
        "GET /delay?ms=1&x=% HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n        | 400",
        "GET /delay HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                 | 400",
        "GET /delay?ms=60001 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n        | 400",
        "GET /fanout?ms=1&k=0 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n       | 400",
        "GET /fanout?ms=1&k=65 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n      | 400",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n | 400",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n | 400",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 1\\r\\n\\r\\n | 400",
        "POST /echo HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400",
        "BREW /json HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                 | 501",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n | 501",
        "GET /json HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n                  | 505",
        "GET /json http/2.0\\r\\nHost: h\\r\\n\\r\\n                  | 505",
        "POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 1048577\\r\\n\\r\\n | 413",
    })
    void badInputGetsTheStatusTheSpecNames(String request, int status) {
        String raw = request.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000")
                .replace("\\u000b", "\u000b").replace("\\u007f", "\u007f").replace("\\u00e9", "\u00e9");
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThatThrownBy(() -> parser.parse(bytes(raw)))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status().code()).isEqualTo(status));
        assertThatThrownBy(() -> parser.parse(bytes("GET /json HTTP/1.1\r\nHost: h\r\n\r\n")))
                .as("a failed parser refuses further input").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void headersOverTheLimitGet431EvenWhenTheyArriveInPieces() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.parse(bytes("GET /json HTTP/1.1\r\nHost: h\r\n"))).isNull();
        String header = "X-Filler: " + "a".repeat(1000) + "\r\n";
        assertThatThrownBy(() -> {
            for (int i = 0; i < 9; i++) {
                assertThat(parser.parse(bytes(header))).isNull();
            }
        }).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE));
    }

    @Test
    void aHeadOfExactlyTheLimitParsesWholeOrInPiecesAcrossTheArraysGrowth() throws HttpException {
        int limit = Limits.DEFAULTS.maxHeaderBytes();
        String start = "GET /json HTTP/1.1\r\nHost: h\r\nX-Filler: ";
        String head = start + "b".repeat(limit - start.length() - 4) + "\r\n\r\n";
        assertThat(head).hasSize(limit);
        assertThat(HttpRequestParser.FIRST_HEAD_SIZE).as("the test crosses growth steps").isLessThan(limit / 4);

        String followedByNext = head + "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n";
        HttpRequestParser whole = new HttpRequestParser(Limits.DEFAULTS);
        List<HttpRequest> requests = parseAll(whole, bytes(followedByNext));
        assertThat(requests).extracting(HttpRequest::endpoint).containsExactly(Endpoint.JSON, Endpoint.PLAINTEXT);

        HttpRequestParser pieces = new HttpRequestParser(Limits.DEFAULTS);
        List<HttpRequest> trickled = new ArrayList<>();
        for (int from = 0; from < followedByNext.length(); from += 700) {
            trickled.addAll(parseAll(pieces, bytes(followedByNext.substring(from, Math.min(followedByNext.length(), from + 700)))));
        }
        assertThat(trickled).extracting(HttpRequest::endpoint).containsExactly(Endpoint.JSON, Endpoint.PLAINTEXT);

        assertThatThrownBy(() -> new HttpRequestParser(Limits.DEFAULTS).parse(bytes(head.replace("X-Filler: ", "X-Filler: b"))))
                .isInstanceOfSatisfying(HttpException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE));
    }

    @Test
    void unknownPathsAndWrongMethodsParseAndAreAnsweredBy404And405() throws HttpException {
        HttpRequest unknown = new HttpRequestParser(Limits.DEFAULTS).parse(bytes("GET /nope HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(HttpResponses.immediate(unknown).status()).isEqualTo(HttpStatus.NOT_FOUND);
        HttpRequest wrong = new HttpRequestParser(Limits.DEFAULTS).parse(bytes("DELETE /json HTTP/1.1\r\nHost: h\r\n\r\n"));
        HttpResponse response = HttpResponses.immediate(wrong);
        assertThat(response.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(new String(response.encode(), StandardCharsets.US_ASCII)).contains("Allow: GET\r\n");
        assertThat(response.close()).isFalse();
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreIgnored() throws HttpException {
        assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(bytes("\r\n\r\nGET /json HTTP/1.1\r\nHost: h\r\n\r\n")).endpoint())
                .isEqualTo(Endpoint.JSON);
    }

    @Test
    void obsFoldIsReplacedBySpacesBeforeTheValueIsRead() throws HttpException {
        HttpRequest request = new HttpRequestParser(Limits.DEFAULTS).parse(bytes(
                "GET /json HTTP/1.1\r\nHost: h\r\nConnection: keep-alive,\r\n close\r\nX: a\n\tb\r\n\r\n"));
        assertThat(request.endpoint()).isEqualTo(Endpoint.JSON);
        assertThat(request.keepAlive()).as("the folded line's token counts").isFalse();
    }

    @Test
    void requestLineWordsMaySeparateByAnyWhitespaceAndJunkBeforeItIsSkipped() throws HttpException {
        HttpRequest request = new HttpRequestParser(Limits.DEFAULTS)
                .parse(bytes(" \u0000\r\n GET \t /delay?ms=7\u000b\u000cHTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(request.endpoint()).isEqualTo(Endpoint.DELAY);
        assertThat(request.delayMs()).isEqualTo(7);
    }

    @Test
    void absoluteFormTargetsAreServedByTheirPathAndQuery() throws HttpException {
        HttpRequest request = new HttpRequestParser(Limits.DEFAULTS)
                .parse(bytes("GET Http://127.0.0.1:8080/fanout?k=3&ms=%34 HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(request.endpoint()).isEqualTo(Endpoint.FANOUT);
        assertThat(request.fanout()).isEqualTo(3);
        assertThat(request.delayMs()).isEqualTo(4);
    }

    @Test
    void aBareCrIsFoundAlsoWhenItsNextByteArrivesLater() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.parse(bytes("GET /json HTTP/1.1\r\nHost: h\r\nX: a\r"))).isNull();
        assertThatThrownBy(() -> parser.parse(bytes("b\r\n\r\n")))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @Test
    void http10IgnoresExpectContinueAndNeedsNoHost() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.parse(bytes("POST /echo HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")))
                .isNull();
        assertThat(parser.takeContinueRequest()).as("RFC 9110 section 10.1.1").isFalse();
        assertThat(parser.parse(bytes("abc")).http10()).isTrue();
    }

    @Test
    void allocatesNothingPerRequestButTheRequestItself() throws HttpException {
        // wrk's plaintext request, and a /delay with an escape, an absolute-form target and a fold.
        String requests = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
                + "GET http://h/delay?ms=%35&x=1 HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\nConnection: keep-alive\r\n\r\n";
        byte[] batch = requests.repeat(500).getBytes(StandardCharsets.ISO_8859_1);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        ByteBuffer input = ByteBuffer.wrap(batch);
        long parsed = 0;
        long before = 0;
        for (int round = 0; round < 40; round++) {
            if (round == 20) { // the first rounds load and link classes
                before = threads.getCurrentThreadAllocatedBytes();
                parsed = 0;
            }
            input.clear();
            HttpRequest request;
            while ((request = parser.parse(input)) != null) {
                parsed += request.delayMs() == 5 || request.endpoint() == Endpoint.PLAINTEXT ? 1 : 0;
            }
        }
        long perRequest = (threads.getCurrentThreadAllocatedBytes() - before) / parsed;
        assertThat(parsed).isEqualTo(20 * 1000);
        assertThat(perRequest).as("bytes allocated per request: the HttpRequest record only").isLessThanOrEqualTo(48);
    }
    @Test
    void fanOutUpToMaxFanOutIsTakenAndTheCapComesFromLimits() throws HttpException {
        assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(bytes("GET /fanout?k=64&ms=0 HTTP/1.1\r\nHost: h\r\n\r\n"))
                .fanout()).isEqualTo(64);
        HttpRequestParser strict = new HttpRequestParser(Limits.DEFAULTS.withFanOutCaps(4, 8));
        assertThatThrownBy(() -> strict.parse(bytes("GET /fanout?k=5&ms=0 HTTP/1.1\r\nHost: h\r\n\r\n")))
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
        String head = "GET /json HTTP/1.1\r\nHost: h\r\nX-Filler: " + "a".repeat(100) + "\r\n\r\n";
        String fits = "\n".repeat(limit - head.length()) + head;
        assertThat(new HttpRequestParser(Limits.DEFAULTS).parse(bytes(fits)).endpoint()).isEqualTo(Endpoint.JSON);
        assertThatThrownBy(() -> new HttpRequestParser(Limits.DEFAULTS).parse(bytes("\n" + fits)))
                .isInstanceOf(HttpException.class);
    }

    @Test
    void blankLinesCountOnlyForTheRequestTheyPrecede() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        String request = "\r\n".repeat(3000) + "GET /json HTTP/1.1\r\nHost: h\r\n\r\n";
        for (int i = 0; i < 4; i++) {
            assertThat(parser.parse(bytes(request)).endpoint()).as("request %d", i).isEqualTo(Endpoint.JSON);
        }
    }

    @Test
    void saysOncePerHeadWhenAnUnfinishedHeadBegan() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        assertThat(parser.isReadingHead()).isFalse();
        assertThat(parser.takeHeadStarted()).isFalse();

        assertThat(parser.parse(bytes("GET /json HTTP/1.1\r\nHost: h\r\n\r\n"))).isNotNull();
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
        assertThat(body.parse(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab"))).isNull();
        assertThat(body.isReadingHead()).as("a body is not a head").isFalse();
        assertThat(body.takeHeadStarted()).isFalse();
    }
}
