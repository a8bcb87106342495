package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponseParser;
import io.asyncbench.api.http.HttpResponseParser.Response;
import io.asyncbench.api.http.HttpResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP edges of the spec (io.asyncbench.api.http, "Request syntax" and "Pipelining"), checked
 * alike for every strategy: the requests a hostile or merely unusual client sends, each with the
 * one answer RFC 9110/9112 and the spec give it, and pipelining far deeper than any buffer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpEdgesConformanceTest {

    private static final String HOST = "Host: t\r\n";

    /**
     * One request and its answer. {@code body} is the expected body of a 200 (null: not checked);
     * {@code closes} whether the server then closes (else the connection must serve a next request).
     */
    record Edge(String what, String request, int status, String body, boolean closes) {
        @Override
        public String toString() {
            return what + " -> " + status;
        }
    }

    private static Edge refused(String what, String request) {
        return new Edge(what, request, 400, null, true);
    }

    private static Edge served(String what, String request, String body) {
        return new Edge(what, request, 200, body, false);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\n" + HOST + "\r\n";
    }

    static List<Edge> edges() {
        return List.of(
                // Percent-encoding (RFC 3986 section 2.1): '%' starts an escape of two hex digits.
                refused("bad percent-escape in ms", get("/delay?ms=%zz")),
                refused("bad percent-escape in another query parameter", get("/delay?ms=5&x=%zz")),
                refused("lone percent sign ending the query", get("/delay?x=%")),
                refused("lone percent sign after a good ms", get("/delay?ms=5&x=%")),
                refused("bad percent-escape in the query of /plaintext", get("/plaintext?x=%zz")),
                refused("bad percent-escape in the path", get("/plain%zzext")),
                // ...and an escape of an unreserved character means that character (section 6.2.2.2).
                served("percent-encoded digit in ms", get("/delay?ms=%35"), "slept 5 ms"),
                served("percent-encoded parameter name", get("/delay?%6Ds=7"), "slept 7 ms"),
                served("percent-encoded letter in the path", get("/plain%74ext"), "Hello, World!"),
                refused("ms that decodes to a sign", get("/delay?ms=%2B5")),
                refused("ms with a plus sign", get("/delay?ms=+5")),
                refused("semicolon is not a query separator", get("/delay?ms=5;x=1")),
                refused("non-ASCII byte in the target", get("/plaintext?x=\u00e9")),

                // Host (RFC 9112 section 3.2).
                refused("HTTP/1.1 without Host", "GET /plaintext HTTP/1.1\r\n\r\n"),
                refused("two Host headers", "GET /plaintext HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                refused("two Host headers in HTTP/1.0", "GET /plaintext HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"),
                refused("Host with a space", "GET /plaintext HTTP/1.1\r\nHost: a b\r\n\r\n"),
                refused("Host with a slash", "GET /plaintext HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                new Edge("HTTP/1.0 without Host", "GET /plaintext HTTP/1.0\r\n\r\n", 200, "Hello, World!", true),
                served("empty Host", "GET /plaintext HTTP/1.1\r\nHost:\r\n\r\n", "Hello, World!"),
                served("Host with a port and an IPv6 literal", "GET /plaintext HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
                        "Hello, World!"),

                // Absolute-form targets (RFC 9112 section 3.2.2): a server must accept them.
                served("absolute-form target", "GET http://127.0.0.1/plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                        "Hello, World!"),
                served("absolute-form target with a port and a query",
                        "GET http://127.0.0.1:8080/delay?ms=1 HTTP/1.1\r\n" + HOST + "\r\n", "slept 1 ms"),
                served("absolute-form target, scheme in upper case", "GET HTTP://h/json HTTP/1.1\r\n" + HOST + "\r\n",
                        "{\"message\":\"Hello, World!\"}"),
                new Edge("absolute-form target with an empty path", "GET http://h HTTP/1.1\r\n" + HOST + "\r\n",
                        404, null, false),
                refused("absolute-form target without Host", "GET http://h/plaintext HTTP/1.1\r\n\r\n"),
                refused("absolute-form target with userinfo", "GET http://u@h/plaintext HTTP/1.1\r\n" + HOST + "\r\n"),
                refused("absolute-form target without a host", "GET http:///plaintext HTTP/1.1\r\n" + HOST + "\r\n"),
                refused("absolute-form target of another scheme", "GET ftp://h/plaintext HTTP/1.1\r\n" + HOST + "\r\n"),
                refused("asterisk-form target", "GET * HTTP/1.1\r\n" + HOST + "\r\n"),

                // The request line (RFC 9112 sections 2.3 and 3).
                refused("lower-case http/1.1", "GET /plaintext http/1.1\r\n" + HOST + "\r\n"),
                refused("mixed-case Http/1.0", "GET /plaintext Http/1.0\r\n" + HOST + "\r\n"),
                refused("protocol other than HTTP", "GET /plaintext FOO/1.1\r\n" + HOST + "\r\n"),
                new Edge("HTTP/1.2", "GET /plaintext HTTP/1.2\r\n" + HOST + "\r\n", 505, null, true),
                // RFC 9112 section 3 lets a server split the request line on any whitespace.
                served("two spaces after the method", "GET  /plaintext HTTP/1.1\r\n" + HOST + "\r\n", "Hello, World!"),
                served("a tab between method and target", "GET\t/plaintext HTTP/1.1\r\n" + HOST + "\r\n",
                        "Hello, World!"),
                served("space before the method", " GET /plaintext HTTP/1.1\r\n" + HOST + "\r\n", "Hello, World!"),
                refused("space after the version", "GET /plaintext HTTP/1.1 \r\n" + HOST + "\r\n"),
                served("bare LF line ends", "GET /plaintext HTTP/1.1\nHost: t\n\n", "Hello, World!"),
                served("empty lines before the request line", "\r\n\r\n" + get("/plaintext"), "Hello, World!"),

                // Header fields (RFC 9110 section 5.5, RFC 9112 section 5).
                refused("NUL in a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X: a\u0000b\r\n\r\n"),
                refused("bare CR in a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X: a\rb\r\n\r\n"),
                refused("control character in a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X: a\u0001b\r\n\r\n"),
                refused("DEL in a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X: a\u007fb\r\n\r\n"),
                served("obs-text in a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X: caf\u00e9\r\n\r\n",
                        "Hello, World!"),
                served("tab in a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X: a\tb\r\n\r\n",
                        "Hello, World!"),
                served("obs-fold in a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X: a\r\n b\r\n\r\n",
                        "Hello, World!"),
                served("obs-fold by a tab, twice", "GET /plaintext HTTP/1.1\r\nX: a\r\n\tb\r\n\tc\r\n" + HOST + "\r\n",
                        "Hello, World!"),
                refused("obs-fold starting a header value", "GET /plaintext HTTP/1.1\r\n" + HOST + "X:\r\n b\r\n\r\n"),
                refused("whitespace before the first header", "GET /plaintext HTTP/1.1\r\n X: a\r\n" + HOST + "\r\n"),
                refused("whitespace between header name and colon", "GET /plaintext HTTP/1.1\r\nHost : t\r\n\r\n"),
                refused("empty header name", "GET /plaintext HTTP/1.1\r\n" + HOST + ": a\r\n\r\n"),
                refused("two Content-Length headers, equal",
                        "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nhi"),
                refused("Content-Length as a list", "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 2, 2\r\n\r\nhi"),
                refused("Content-Length with a sign", "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: +2\r\n\r\nhi"),
                refused("two Content-Length headers in HTTP/1.0",
                        "POST /echo HTTP/1.0\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi!"),
                refused("Transfer-Encoding without a final chunked",
                        "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\n\r\n"),
                refused("Transfer-Encoding with Content-Length",
                        "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n"),
                refused("Transfer-Encoding in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
                new Edge("Transfer-Encoding ending in chunked",
                        "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501, null, true));
    }

    static Stream<Arguments> strategiesAndEdges() {
        return StrategyUnderTest.all().flatMap(s -> edges().stream().map(e -> Arguments.of(s, e)));
    }

    @ParameterizedTest(name = "[{0}] http edge: {1}")
    @MethodSource("strategiesAndEdges")
    void answersEveryEdgeAsTheSpecSays(StrategyUnderTest strategy, Edge edge) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP);
             StackTraces logged = StackTraces.capture();
             HttpTestClient client = new HttpTestClient(server.address())) {
            Response response = client.send(edge.request()).response();
            assertThat(response.status()).as(edge.what()).isEqualTo(edge.status());
            if (edge.body() != null) {
                assertThat(response.bodyText()).isEqualTo(edge.body());
            }
            if (edge.closes()) {
                assertThat(client.closedByServer()).as("closed after " + edge).isTrue();
                if (edge.status() != 200) {
                    assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
                }
            } else {
                assertThat(client.get("/json").status()).as("connection still usable").isEqualTo(200);
            }
            try (HttpTestClient other = new HttpTestClient(server.address())) {
                assertThat(other.get("/plaintext").status()).as("still serving others").isEqualTo(200);
            }
            assertThat(logged.records()).as("stack traces logged for " + edge).isEmpty();
        }
    }

    /**
     * Item: 10,000 requests in one write. Every strategy answers all, in order, and while the
     * client does not read, stops reading it instead of buffering: the server holds at most one
     * read buffer of requests and its write queue (plus the answers to one read buffer).
     */
    @ParameterizedTest(name = "[{0}] http 10,000 pipelined requests in one write: all answered in order, buffering bounded")
    @MethodSource("io.asyncbench.conformance.StrategyUnderTest#all")
    void answersDeepPipeliningInOrderWithBackpressure(StrategyUnderTest strategy) throws Exception {
        int count = 10_000;
        int kernelBuffer = 16 * 1024;
        // An external server's command line has no place for socket options: it keeps its own.
        ServerSpec spec = strategy.external() ? ServerSpec.loopback(Workload.HTTP) : ServerSpec.loopback(Workload.HTTP)
                .withSocketOptions(new SocketOptions(true, true, 4096, kernelBuffer, kernelBuffer));
        Limits limits = spec.limits();

        byte[] plaintext = get("/plaintext").getBytes(StandardCharsets.US_ASCII);
        byte[] json = get("/json").getBytes(StandardCharsets.US_ASCII);
        int plaintextAnswer = answerLength(Endpoint.PLAINTEXT);
        int jsonAnswer = answerLength(Endpoint.JSON);
        // Request and answer bytes up to each request, to tell what the server holds from its counters.
        long[] requestBytesBefore = new long[count + 1];
        long[] answerBytesBefore = new long[count + 1];
        ByteBuffer batch = ByteBuffer.allocate(count * Math.max(plaintext.length, json.length));
        for (int i = 0; i < count; i++) {
            boolean isJson = isJson(i);
            batch.put(isJson ? json : plaintext);
            requestBytesBefore[i + 1] = requestBytesBefore[i] + (isJson ? json.length : plaintext.length);
            answerBytesBefore[i + 1] = answerBytesBefore[i] + (isJson ? jsonAnswer : plaintextAnswer);
        }
        byte[] all = java.util.Arrays.copyOf(batch.array(), batch.position());

        try (RunningServer server = strategy.start(spec);
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(kernelBuffer);
            socket.setSendBufferSize(kernelBuffer);
            socket.connect(server.address(), 15_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(all);
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> Thread.ofVirtual().name("pipelining-writer").start(runnable));

            // Not reading yet: the server must stall once its answers back up. What it holds is
            // read from its counters; an external server has none (only the order and the
            // completeness of its answers can be checked from here).
            ServerCounters counters = server.counters();
            if (strategy.counts()) {
                assertStallsWhileNotRead(counters, all.length, count, limits, requestBytesBefore, answerBytesBefore,
                        plaintext.length, jsonAnswer);
            }

            // Now read: every answer comes, in order.
            InputStream in = socket.getInputStream();
            HttpResponseParser parser = new HttpResponseParser(64 * 1024);
            ByteBuffer pending = ByteBuffer.allocate(64 * 1024).flip();
            for (int i = 0; i < count; i++) {
                Response response;
                while ((response = parser.parse(pending)) == null) {
                    pending.compact();
                    int n = in.read(pending.array(), pending.position(), pending.remaining());
                    if (n < 0) {
                        throw new AssertionError("the server closed after " + i + " of " + count + " answers");
                    }
                    pending.position(pending.position() + n).flip();
                }
                assertThat(response.status()).as("answer %d", i).isEqualTo(200);
                assertThat(response.bodyText()).as("answer %d", i)
                        .isEqualTo(isJson(i) ? "{\"message\":\"Hello, World!\"}" : "Hello, World!");
            }
            writer.get(30, TimeUnit.SECONDS);
            if (strategy.counts()) {
                assertThat(counters.requests()).isEqualTo(count);
                assertThat(counters.errors()).isZero();
            }
        }
    }

    /** The server took in less than the batch and answered less than all while its answers were not read. */
    private static void assertStallsWhileNotRead(ServerCounters counters, int batchBytes, int count, Limits limits,
                                                 long[] requestBytesBefore, long[] answerBytesBefore,
                                                 int requestLength, int jsonAnswer) {
        long read = Poll.untilStable("the server's bytes read", Duration.ofSeconds(1), Duration.ofSeconds(60),
                counters::bytesRead);
        long answered = counters.requests();
        long written = counters.bytesWritten();
        assertThat(read).as("bytes the server took in while its answers were not read").isLessThan(batchBytes);
        assertThat(answered).as("requests answered while the client did not read").isLessThan(count);
        long heldRequests = read - requestBytesBefore[(int) answered];
        long heldAnswers = answerBytesBefore[(int) answered] - written;
        int answersToOneRead = (limits.readBufferSize() / requestLength + 1) * jsonAnswer;
        assertThat(heldRequests + heldAnswers)
                .as("bytes held in user space: %d of requests not yet answered, %d of answers not yet written",
                        heldRequests, heldAnswers)
                .isLessThanOrEqualTo(limits.readBufferSize() + limits.writeHighWaterMark() + answersToOneRead);
    }

    private static boolean isJson(int i) {
        return i % 7 == 3;
    }

    private static int answerLength(Endpoint endpoint) {
        return HttpResponses.immediate(new HttpRequest(HttpMethod.GET, endpoint, false, true, 0, 0, new byte[0]))
                .encodedLength();
    }

    /**
     * Records carrying a stack trace, published to java.util.logging (where System.Logger and
     * Netty's InternalLogger write when no other backend is on the class path) while open.
     */
    static final class StackTraces extends Handler implements AutoCloseable {

        private final List<String> records = new ArrayList<>();

        static StackTraces capture() {
            StackTraces handler = new StackTraces();
            Logger.getLogger("").addHandler(handler);
            return handler;
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getThrown() != null) {
                records.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                        + " / " + record.getThrown());
            }
        }

        synchronized List<String> records() {
            return List.copyOf(records);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }
}
