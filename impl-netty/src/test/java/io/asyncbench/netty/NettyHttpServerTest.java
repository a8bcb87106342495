package io.asyncbench.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpRequestParser;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty's codec answers with the spec's bytes: for each request, what the Netty strategies send
 * is exactly what {@link HttpResponses} encodes for the api's own parse of the same request
 * (the Date value aside), statuses, reason phrases, header names, order and bodies included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyHttpServerTest {

    private static final List<String> REQUESTS = List.of(
            "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /json HTTP/1.1\r\nHost: t\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /delay?ms=5 HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n",
            "DELETE /json HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /fanout?k=2&ms=1 HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            "GET /plaintext HTTP/1.0\r\n\r\n",
            "GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "PUT /json HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "GET /plaintext HTTP/1.1\nHost: bare-lf\n\n",
            "GARBAGE\r\n\r\n",
            "GET /json HTTP/1.1\r\nHost: t\r\nNo colon\r\n\r\n",
            "GET /json HTTP/1.1\r\nHost: t\r\nX-Big: " + "x".repeat(9000) + "\r\n\r\n",
            "BREW /json HTTP/1.1\r\nHost: t\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 12x\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "GET /json HTTP/2.0\r\n\r\n",
            "GET /json HTTP/1.1x\r\n\r\n",
            "GET json HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /delay?ms=-1 HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /delay?ms=60001 HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /delay HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /fanout?k=0&ms=1 HTTP/1.1\r\nHost: t\r\n\r\n",
            // The edges of "Request syntax": Netty's codec and the api parser agree on each.
            "GET /delay?ms=%35 HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /delay?ms=%zz HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /delay?ms=5&x=% HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET http://h:1/plain%74ext HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /plaintext HTTP/1.1\r\n\r\n",
            "GET /plaintext HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
            "GET /plaintext http/1.1\r\nHost: t\r\n\r\n",
            "GET /plaintext hTTP/2.0\r\nHost: t\r\n\r\n",
            "GET  /plaintext\tHTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n",
            "GET /plaintext HTTP/1.1\r\nHost: t\r\nX: a\u0000b\r\n\r\n",
            "GET /plaintext HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n",
            "POST /echo HTTP/1.0\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n");

    static Stream<Arguments> cases() {
        return Stream.of(new NettyNioStrategy(), new NettyEpollStrategy())
                .flatMap(strategy -> REQUESTS.stream().map(request -> Arguments.of(strategy, request)));
    }

    @ParameterizedTest(name = "[{0}] {index}")
    @MethodSource("cases")
    void answersWithTheSpecsBytes(NettyStrategy strategy, String request) throws Exception {
        assumeTrue(strategy.availability().available(), strategy.availability().reason());
        byte[] expected = expectedAnswer(request);
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP));
             Socket socket = connect(server.address())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            byte[] received = socket.getInputStream().readNBytes(expected.length);
            assertThat(withoutDate(received)).as("answer to %s", request.lines().findFirst().orElseThrow())
                    .isEqualTo(withoutDate(expected));
            if (new String(expected, StandardCharsets.ISO_8859_1).contains("Connection: close")) {
                assertThat(socket.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
            }
        }
    }

    /** What the api answers to {@code raw}: HttpResponses for the api parser's view of it. */
    private static byte[] expectedAnswer(String raw) {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        try {
            HttpRequest request = parser.parse(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(request).as("a complete request: " + raw).isNotNull();
            HttpResponse response = switch (request.endpoint()) {
                case DELAY -> request.method() == request.endpoint().method()
                        ? HttpResponses.delayed(request) : HttpResponses.immediate(request);
                // The http workload has no backends: /fanout is an unknown path there.
                case FANOUT -> HttpResponses.error(request, io.asyncbench.api.http.HttpStatus.NOT_FOUND, null);
                default -> HttpResponses.immediate(request);
            };
            return response.encode();
        } catch (HttpException refused) {
            return HttpResponses.error(refused).encode();
        }
    }

    /** Pipelined requests behind a /delay wait their turn, and a bad one ends the connection in its place. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void holdsPipelinedRequestsBehindAWaitingOne(NettyStrategy strategy) throws Exception {
        assumeTrue(strategy.availability().available(), strategy.availability().reason());
        List<String> requests = List.of(
                "GET /delay?ms=200 HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /delay?ms=0 HTTP/1.1\r\nHost: t\r\n\r\n",
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc",
                "BREW / HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /json HTTP/1.1\r\nHost: t\r\n\r\n");
        ByteBuffer expected = ByteBuffer.allocate(64 * 1024);
        for (String request : requests.subList(0, 5)) {
            expected.put(expectedAnswer(request));
        }
        expected.flip();
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP));
             Socket socket = connect(server.address())) {
            long start = System.nanoTime();
            socket.getOutputStream().write(String.join("", requests).getBytes(StandardCharsets.ISO_8859_1));
            byte[] received = socket.getInputStream().readAllBytes(); // until the 501 closes it
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
            assertThat(withoutDate(received)).isEqualTo(withoutDate(expected.array(), expected.limit()));
            assertThat(server.counters().requests()).isEqualTo(5);
        }
    }

    /**
     * HEAD is a method no path takes (405), and Netty's codec, as RFC 9110 requires, sends no body
     * with an answer to HEAD; neither does the api's encoder: the bytes match.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void answersHeadWithoutABody(NettyStrategy strategy) throws Exception {
        assumeTrue(strategy.availability().available(), strategy.availability().reason());
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP));
             Socket socket = connect(server.address())) {
            socket.getOutputStream().write("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /json HTTP/1.1\r\nHost: t\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = expectedAnswer("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
            byte[] json = expectedAnswer("GET /json HTTP/1.1\r\nHost: t\r\n\r\n");
            byte[] received = socket.getInputStream().readNBytes(head.length + json.length);
            ByteBuffer expected = ByteBuffer.allocate(received.length).put(head).put(json);
            assertThat(withoutDate(received)).isEqualTo(withoutDate(expected.array()));
        }
    }

    /**
     * IdleStateHandler counts from the last read: a request that waits longer than the idle
     * timeout is still answered, and the connection is closed only a full timeout after that.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void idlenessCountsFromTheLastAnswer(NettyStrategy strategy) throws Exception {
        assumeTrue(strategy.availability().available(), strategy.availability().reason());
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(java.time.Duration.ofMillis(300)));
        byte[] expected = expectedAnswer("GET /delay?ms=700 HTTP/1.1\r\nHost: t\r\n\r\n");
        try (RunningServer server = strategy.start(spec);
             Socket socket = connect(server.address())) {
            socket.getOutputStream().write("GET /delay?ms=700 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] received = socket.getInputStream().readNBytes(expected.length);
            assertThat(withoutDate(received)).isEqualTo(withoutDate(expected));
            long answered = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("closed once idle").isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered))
                    .as("not before a full idle timeout after the answer").isGreaterThanOrEqualTo(250);
            assertThat(server.counters().errors()).as("an idle timeout is counted").isEqualTo(1);
        }
    }

    static Stream<NettyStrategy> strategies() {
        return Stream.of(new NettyNioStrategy(), new NettyEpollStrategy());
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        socket.setSoTimeout(15_000);
        return socket;
    }

    private static String withoutDate(byte[] bytes) {
        return withoutDate(bytes, bytes.length);
    }

    private static String withoutDate(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1)
                .replaceAll("Date: [^\r]*\r\n", "Date: *\r\n");
    }
}
