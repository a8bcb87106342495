package io.asyncbench.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponseParser;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the conformance suite does not look at: the idle timer leaves a waiting request alone,
 * a pipelining client that does not read its answers is throttled, then answered in full, and
 * only a connection in the middle of a request holds a parser.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectorHttpServerTest {

    private static final int KERNEL_BUFFER = 16 * 1024;

    /** A raw client: bytes out, responses parsed with the api's client-side parser. */
    static final class Client implements AutoCloseable {
        final SocketChannel channel;
        final HttpResponseParser parser = new HttpResponseParser(4096);
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

        Client(InetSocketAddress address, int receiveBuffer) throws IOException {
            channel = SocketChannel.open();
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, receiveBuffer);
            }
            channel.connect(address);
        }

        void send(String request) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        HttpResponseParser.Response response() throws Exception {
            HttpResponseParser.Response response;
            while ((response = parser.parse(in)) == null) {
                in.compact();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    throw new AssertionError("closed before a complete response");
                }
            }
            return response;
        }

        boolean closedByServer() throws IOException {
            in.compact();
            try {
                return channel.read(in) < 0;
            } finally {
                in.flip();
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static SelectorServer http(ServerSpec spec) throws IOException {
        return SelectorServer.start(SelectorStrategy.ID, spec, SelectorHttpServer.factory(spec.limits()));
    }

    @Test
    void aRequestWaitingLongerThanTheIdleTimeoutIsStillAnswered() throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP).withIoThreads(1)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)));
        try (SelectorServer server = http(spec);
             Client client = new Client(server.address(), 0)) {
            long start = System.nanoTime();
            client.send("GET /delay?ms=700 HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpResponseParser.Response response = client.response();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("slept 700 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(700);

            // Idle from the answer on: closed one timeout later, counted as an abnormal end.
            assertThat(client.closedByServer()).isTrue();
            long idleFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) - 700;
            assertThat(idleFor).isBetween(150L, 5_000L);
            SelectorFlowControlTest.poll("the idle close is counted", () -> server.counters().errors() == 1);
        }
    }

    @Test
    void aPipeliningClientThatDoesNotReadIsThrottledThenAnsweredInOrder() throws Exception {
        int requests = 40_000;
        String request = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n";
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP).withIoThreads(1)
                .withSocketOptions(new SocketOptions(true, true, 128, KERNEL_BUFFER, KERNEL_BUFFER));
        try (SelectorServer server = http(spec);
             Client client = new Client(server.address(), KERNEL_BUFFER)) {
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    String batch = request.repeat(100);
                    for (int i = 0; i < requests / 100; i++) {
                        client.send(batch);
                        sent.addAndGet(batch.length());
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));

            // Stalled: the server stopped reading because the client stopped reading.
            long stalledAt = pollUntilStable(server.counters()::bytesRead);
            assertThat(writer).as("backpressure reached the client").isNotDone();
            long total = (long) requests * request.length();
            assertThat(stalledAt).isLessThan(total / 2);
            int answerLength = HttpResponses.immediate(new HttpRequest(HttpMethod.GET, Endpoint.PLAINTEXT,
                    false, true, 0, 0, new byte[0])).encodedLength();
            long heldInUserSpace = server.counters().requests() * answerLength
                    - server.counters().bytesWritten();
            assertThat(heldInUserSpace).as("answers queued in user space, roughly")
                    .isLessThan(spec.limits().maxBufferedBytesPerConnection() + 32 * 1024);

            for (int i = 0; i < requests; i++) {
                HttpResponseParser.Response response = client.response();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("Hello, World!");
            }
            writer.get(10, TimeUnit.SECONDS);
            assertThat(server.counters().requests()).isEqualTo(requests);
            assertThat(server.counters().errors()).isZero();
        }
    }

    @Test
    void idleConnectionsHoldNoParserWhileOneMidRequestKeepsItsOwn() throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP).withIoThreads(1);
        AtomicReference<SelectorHttpParsers> pool = new AtomicReference<>();
        java.util.function.Function<SelectorEventLoop, SelectorHttpParsers> perLoop =
                SelectorHttpParsers.perLoop(spec.limits());
        try (SelectorServer server = SelectorServer.start(SelectorStrategy.ID, spec,
                counters -> new SelectorHttpServer(spec.limits(), counters, loop -> {
                    SelectorHttpParsers parsers = perLoop.apply(loop);
                    pool.set(parsers);
                    return parsers;
                }));
             Client slow = new Client(server.address(), 0);
             Client first = new Client(server.address(), 0);
             Client second = new Client(server.address(), 0)) {
            // Half a head: this connection keeps the parser that holds it.
            slow.send("GET /json HTTP/1.1\r\nHo");
            SelectorFlowControlTest.poll("the half head is read", () -> server.counters().bytesRead() > 0);
            SelectorFlowControlTest.poll("one parser is lent", () -> onLoop(pool.get(), SelectorHttpParsers::lent) == 1);

            // Whole requests on other connections meanwhile: answered by a parser of their loop's.
            first.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(first.response().bodyText()).isEqualTo("Hello, World!");
            second.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /json HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(second.response().bodyText()).isEqualTo("Hello, World!");
            assertThat(second.response().bodyText()).isEqualTo("{\"message\":\"Hello, World!\"}");
            SelectorFlowControlTest.poll("only the half head's parser is lent",
                    () -> onLoop(pool.get(), SelectorHttpParsers::lent) == 1);

            // The rest of the head: the kept parser finishes it, then goes back to the loop.
            slow.send("st: t\r\n\r\n");
            assertThat(slow.response().bodyText()).isEqualTo("{\"message\":\"Hello, World!\"}");
            SelectorFlowControlTest.poll("no parser is lent between requests",
                    () -> onLoop(pool.get(), SelectorHttpParsers::lent) == 0);
            assertThat(onLoop(pool.get(), SelectorHttpParsers::spare)).as("two made, both back").isEqualTo(2);
            assertThat(server.counters().requests()).isEqualTo(4);
        }
    }

    @Test
    void everyResponseHeadFitsTheRoomTheEncoderTakesForGranted() {
        byte[] largestBody = new byte[Limits.DEFAULTS.maxBodyBytes()]; // the longest Content-Length
        int longestHead = 0;
        List<HttpMethod> allows = new ArrayList<>(List.of(HttpMethod.values()));
        allows.add(null); // no Allow header
        for (HttpStatus status : HttpStatus.values()) {
            for (ContentType type : ContentType.values()) {
                for (HttpMethod allow : allows) {
                    for (int flags = 0; flags < 8; flags++) {
                        HttpResponse response = new HttpResponse(status, type, largestBody, (flags & 1) != 0,
                                (flags & 2) != 0, allow, (flags & 4) != 0);
                        int head = response.encodedLength() - ((flags & 4) != 0 ? 0 : largestBody.length);
                        longestHead = Math.max(longestHead, head);
                    }
                }
            }
        }
        assertThat(longestHead).isPositive().isLessThanOrEqualTo(SelectorHttpServer.HEAD_ROOM);
    }

    /** Reads a figure of the pool on its loop, the only thread that touches it. */
    private static int onLoop(SelectorHttpParsers parsers, java.util.function.ToIntFunction<SelectorHttpParsers> figure) {
        if (parsers == null) {
            return -1;
        }
        CompletableFuture<Integer> value = new CompletableFuture<>();
        parsers.loop().submit(() -> value.complete(figure.applyAsInt(parsers)));
        return value.join();
    }

    private static long pollUntilStable(java.util.function.LongSupplier value) throws InterruptedException {
        long last = value.getAsLong();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < TimeUnit.MILLISECONDS.toNanos(500)) {
            Thread.sleep(10);
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }
}
