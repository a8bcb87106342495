package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpResponseParser.Response;
import io.asyncbench.load.EchoConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The http workload (see io.asyncbench.api.http), checked the same way for every strategy. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpConformanceTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    private static void assertTechEmpowerHeaders(Response response, String type, int length) {
        assertThat(response.header("Content-Type")).isEqualTo(type);
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(length));
        assertThat(response.header("Server")).isEqualTo("asyncbench");
        assertThat(response.header("Date")).matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    }

    @ParameterizedTest(name = "[{0}] http GET /plaintext and /json, keep-alive")
    @MethodSource("strategies")
    void answersPlaintextAndJsonOnOneConnection(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP);
             HttpTestClient client = new HttpTestClient(server.address())) {
            for (int i = 0; i < 3; i++) {
                Response plaintext = client.get("/plaintext");
                assertThat(plaintext.status()).isEqualTo(200);
                assertThat(plaintext.bodyText()).isEqualTo("Hello, World!");
                assertTechEmpowerHeaders(plaintext, "text/plain", 13);
                assertThat(plaintext.close()).isFalse();

                Response json = client.get("/json");
                assertThat(json.status()).isEqualTo(200);
                assertThat(json.bodyText()).isEqualTo("{\"message\":\"Hello, World!\"}");
                assertTechEmpowerHeaders(json, "application/json", 27);
            }
            if (strategy.counts()) {
                assertThat(server.counters().connectionsOpened()).as("all on one connection").isEqualTo(1);
                assertThat(server.counters().requests()).isEqualTo(6);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] http Connection: close and HTTP/1.0 are honoured")
    @MethodSource("strategies")
    void honoursConnectionCloseAndHttp10(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP)) {
            try (HttpTestClient client = new HttpTestClient(server.address())) {
                Response response = client.send("GET /json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").response();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(client.closedByServer()).as("closed after Connection: close").isTrue();
            }
            try (HttpTestClient client = new HttpTestClient(server.address())) {
                assertThat(client.send("GET /plaintext HTTP/1.0\r\n\r\n").response().bodyText())
                        .isEqualTo("Hello, World!");
                assertThat(client.closedByServer()).as("HTTP/1.0 closes by default").isTrue();
            }
            try (HttpTestClient client = new HttpTestClient(server.address())) {
                for (int i = 0; i < 2; i++) {
                    Response response = client.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                            .response();
                    assertThat(response.header("Connection")).isEqualToIgnoringCase("keep-alive");
                }
            }
        }
    }

    @ParameterizedTest(name = "[{0}] http 16 pipelined requests are answered in order")
    @MethodSource("strategies")
    void answersPipelinedRequestsInOrder(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP);
             HttpTestClient client = new HttpTestClient(server.address())) {
            StringBuilder batch = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                switch (i % 4) {
                    case 0 -> {
                        batch.append("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
                        expected.add("Hello, World!");
                    }
                    case 1 -> {
                        batch.append("GET /json HTTP/1.1\r\nHost: t\r\n\r\n");
                        expected.add("{\"message\":\"Hello, World!\"}");
                    }
                    case 2 -> {
                        String body = "body-" + i;
                        batch.append("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: ").append(body.length())
                                .append("\r\n\r\n").append(body);
                        expected.add(body);
                    }
                    default -> {
                        batch.append("GET /delay?ms=").append(20 - i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
                        expected.add("slept " + (20 - i) + " ms");
                    }
                }
            }
            client.send(batch.toString());
            for (String body : expected) {
                assertThat(client.response().bodyText()).isEqualTo(body);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] http POST /echo returns the body, with 100-continue")
    @MethodSource("strategies")
    void echoesRequestBodies(StrategyUnderTest strategy) throws Exception {
        byte[] body = EchoConnection.randomBytes(200 * 1024, 42);
        try (RunningServer server = strategy.start(Workload.HTTP);
             HttpTestClient client = new HttpTestClient(server.address())) {
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n").send(body);
            Response response = client.response();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(response.body()).isEqualTo(body);

            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.response().status()).as("interim response before the body").isEqualTo(100);
            client.send("hello");
            assertThat(client.response().bodyText()).isEqualTo("hello");
        }
    }

    @ParameterizedTest(name = "[{0}] http 100 concurrent GET /delay?ms=2000 all answered in about 2 s, not 100 x 2 s")
    @MethodSource("strategies")
    void delaysConcurrently(StrategyUnderTest strategy) throws Exception {
        int concurrent = 100;
        try (RunningServer server = strategy.start(Workload.HTTP)) {
            ConcurrentDelays.assertOverlapped(server.address(), concurrent, Duration.ofSeconds(2));
            if (strategy.counts()) {
                assertThat(server.counters().requests()).isEqualTo(concurrent);
            }
        }
    }

    record BadInput(String what, String request, int status, boolean closes) {
        @Override
        public String toString() {
            return what + " -> " + status;
        }
    }

    static Stream<Arguments> strategiesAndBadInputs() {
        List<BadInput> cases = List.of(
                new BadInput("malformed request line", "GARBAGE\r\n\r\n", 400, true),
                new BadInput("malformed header", "GET /json HTTP/1.1\r\nHost: t\r\nNo colon\r\n\r\n", 400, true),
                new BadInput("headers over 8 KiB",
                        "GET /json HTTP/1.1\r\nHost: t\r\nX-Big: " + "x".repeat(9000) + "\r\n\r\n", 431, true),
                new BadInput("unknown path", "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n", 404, false),
                new BadInput("wrong method for the path", "DELETE /json HTTP/1.1\r\nHost: t\r\n\r\n", 405, false),
                new BadInput("unknown method", "BREW /json HTTP/1.1\r\nHost: t\r\n\r\n", 501, true),
                new BadInput("chunked request body",
                        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501, true),
                new BadInput("body over 1 MiB", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n", 413, true),
                new BadInput("unsupported HTTP version", "GET /json HTTP/2.0\r\n\r\n", 505, true),
                new BadInput("delay out of range", "GET /delay?ms=-1 HTTP/1.1\r\nHost: t\r\n\r\n", 400, true));
        return StrategyUnderTest.all().flatMap(s -> cases.stream().map(c -> Arguments.of(s, c)));
    }

    @ParameterizedTest(name = "[{0}] http bad input: {1}")
    @MethodSource("strategiesAndBadInputs")
    void answersBadInputClearlyAndKeepsServingOthers(StrategyUnderTest strategy, BadInput bad) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP);
             HttpTestClient bystander = new HttpTestClient(server.address())) {
            assertThat(bystander.get("/plaintext").status()).isEqualTo(200);
            try (HttpTestClient client = new HttpTestClient(server.address())) {
                Response response = client.send(bad.request()).response();
                assertThat(response.status()).isEqualTo(bad.status());
                if (bad.closes()) {
                    assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
                    assertThat(client.closedByServer()).as("connection closed after " + bad.status()).isTrue();
                } else {
                    assertThat(client.get("/json").status()).as("connection still usable").isEqualTo(200);
                }
            }
            assertThat(bystander.get("/json").status()).as("other connections unaffected").isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "[{0}] http closes idle and slow connections after the idle timeout, not busy ones")
    @MethodSource("strategies")
    void closesIdleConnections(StrategyUnderTest strategy) throws Exception {
        Duration idleTimeout = Duration.ofMillis(500);
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP).withLimits(Limits.DEFAULTS.withIdleTimeout(idleTimeout));
        try (RunningServer server = strategy.start(spec);
             HttpTestClient silent = new HttpTestClient(server.address());
             HttpTestClient slow = new HttpTestClient(server.address());
             HttpTestClient served = new HttpTestClient(server.address());
             HttpTestClient patient = new HttpTestClient(server.address())) {
            assertThat(served.get("/plaintext").status()).isEqualTo(200);
            patient.send("GET /delay?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n"); // three idle timeouts long
            slow.send("GET /plain"); // and never the rest: a slowloris
            long start = System.nanoTime();
            assertThat(silent.closedByServer()).as("a silent connection is closed").isTrue();
            assertThat(slow.closedByServer()).as("a half-sent request does not pin the connection").isTrue();
            assertThat(served.closedByServer()).as("a served connection, idle since, is closed").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
            assertThat(patient.response().bodyText()).as("a request in progress is not idle")
                    .isEqualTo("slept 1500 ms");
            assertThat(patient.get("/plaintext").bodyText()).as("nor is the connection after its answer")
                    .isEqualTo("Hello, World!");
            assertThat(patient.closedByServer()).as("until it idles in turn").isTrue();
            if (strategy.counts()) {
                Poll.until("idle connections are freed", SETTLE, () -> server.counters().activeConnections() == 0);
                assertThat(server.counters().errors()).as("each idle timeout counted as an error, once")
                        .isEqualTo(4);
            }
            try (HttpTestClient fresh = new HttpTestClient(server.address())) {
                assertThat(fresh.get("/json").status()).as("still serving").isEqualTo(200);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] http a burst of 200 pipelined requests in one write, the last closing")
    @MethodSource("strategies")
    void answersABurstOfPipelinedRequestsThenCloses(StrategyUnderTest strategy) throws Exception {
        // 7 KiB in one write: several times what a connection reads at first, where a strategy
        // starts small and grows its read buffer.
        int count = 200;
        String request = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n";
        String closing = "GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
        try (RunningServer server = strategy.start(Workload.HTTP);
             HttpTestClient client = new HttpTestClient(server.address())) {
            client.send(request.repeat(count - 1) + closing);
            for (int i = 1; i <= count; i++) {
                Response response = client.response();
                assertThat(response.bodyText()).as("answer %d", i).isEqualTo("Hello, World!");
                assertThat(response.close()).as("answer %d closes", i).isEqualTo(i == count);
            }
            assertThat(client.closedByServer()).as("closed after the closing request, nothing more").isTrue();
            if (strategy.counts()) {
                Poll.until("the server has counted every request", SETTLE,
                        () -> server.counters().requests() == count);
                assertThat(server.counters().errors()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] http many connections with pipelined requests")
    @MethodSource("strategies")
    void servesManyPipelinedConnections(StrategyUnderTest strategy) throws Exception {
        int connections = 64;
        String sixteen = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n".repeat(16);
        try (RunningServer server = strategy.start(Workload.HTTP);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                results.add(clients.submit(() -> {
                    int ok = 0;
                    try (HttpTestClient client = new HttpTestClient(server.address())) {
                        for (int round = 0; round < 20; round++) {
                            client.send(sixteen.getBytes(StandardCharsets.US_ASCII));
                            for (int i = 0; i < 16; i++) {
                                Response response = client.response();
                                if (response.status() == 200 && response.bodyText().equals("Hello, World!")) {
                                    ok++;
                                }
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(20 * 16);
            }
            if (strategy.counts()) {
                assertThat(server.counters().requests()).isEqualTo((long) connections * 20 * 16);
                assertThat(server.counters().errors()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] http HEAD gets a head without a body, and keep-alive survives")
    @MethodSource("strategies")
    void answersHeadWithoutABody(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP);
             java.net.Socket socket = new java.net.Socket()) {
            socket.connect(server.address(), 15_000);
            socket.setSoTimeout(15_000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = socket.getInputStream();
            out.write("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 405 ").containsIgnoringCase("Content-Length:");
            out.write("GET /json HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(in)).as("the next response starts right after the HEAD's head: no body was sent")
                    .startsWith("HTTP/1.1 200 OK");
        }
    }

    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the server closed after " + head.length() + " bytes: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
