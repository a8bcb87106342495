package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpResponseParser.Response;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's caps on fan-out amplification: {@link Limits#maxFanOut()} bounds the calls one
 * request may ask for (400 past it), {@link Limits#maxBackendConnections()} the connections to
 * each backend whatever the number of requests (calls queue for a free one until the deadline,
 * then 504). Without them, 16 requests of {@code k=256} drove a gateway to 5,000 descriptors and
 * platform-threads to 4,000 threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FanOutCapsConformanceTest {

    private static final int CONNECTION_CAP = 8;
    private static final int CLIENTS = 8;

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    private static ServerSpec gateway(InetSocketAddress backend, Limits limits) {
        return ServerSpec.loopback(Workload.GATEWAY, List.of(backend)).withLimits(limits);
    }

    @ParameterizedTest(name = "[{0}] gateway: k above maxFanOut gets 400, k at it is served")
    @MethodSource("strategies")
    void fanOutAboveTheCapGets400(StrategyUnderTest strategy) throws Exception {
        int cap = Limits.DEFAULTS.maxFanOut();
        try (TestBackend backend = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             RunningServer server = strategy.start(gateway(backend.address(),
                     Limits.DEFAULTS.withRequestDeadline(Duration.ofSeconds(10))))) {
            try (HttpTestClient client = new HttpTestClient(server.address())) {
                Response refused = client.get("/fanout?k=" + (cap + 1) + "&ms=0");
                assertThat(refused.status()).isEqualTo(400);
                assertThat(client.closedByServer()).as("400 closes the connection").isTrue();
            }
            assertThat(backend.requests()).as("no call made for a refused request").isZero();
            try (HttpTestClient client = new HttpTestClient(server.address())) {
                Response served = client.get("/fanout?k=" + cap + "&ms=0");
                assertThat(served.status()).isEqualTo(200);
                assertThat(served.bodyText()).isEqualTo("{\"k\":" + cap + ",\"ms\":0,\"ok\":" + cap + "}");
            }
        }
    }

    @ParameterizedTest(name = "[{0}] gateway: concurrent large fan-outs stay within the backend connection cap")
    @MethodSource("strategies")
    void concurrentFanOutsStayWithinTheConnectionCap(StrategyUnderTest strategy) throws Exception {
        strategy.assumeServes(Workload.GATEWAY);
        Limits limits = Limits.DEFAULTS.withRequestDeadline(Duration.ofSeconds(20))
                .withFanOutCaps(64, CONNECTION_CAP);
        // Platform threads, counted cheaply (a JSON thread dump taken in a loop crashed JDK 25.0.3's
        // VM in ThreadSnapshot): virtual threads cost no OS thread, and are not the concern here.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxThreads = new AtomicInteger();
        try (TestBackend backend = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             RunningServer server = strategy.start(gateway(backend.address(), limits))) {
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    maxThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
                    try {
                        Thread.sleep(5); // a sampling interval
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Future<List<Integer>>> statuses = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                statuses.add(clients.submit(() -> {
                    List<Integer> mine = new ArrayList<>();
                    try (HttpTestClient client = new HttpTestClient(server.address())) {
                        for (int i = 0; i < 2; i++) {
                            mine.add(client.get("/fanout?k=64&ms=20").status());
                        }
                    }
                    return mine;
                }));
            }
            List<Integer> answers = new ArrayList<>();
            for (Future<List<Integer>> statusesOfOne : statuses) {
                answers.addAll(statusesOfOne.get(100, TimeUnit.SECONDS));
            }
            running.set(false);
            sampler.join();

            assertThat(answers).as("every request answered, 200 or the deadline's 504")
                    .hasSize(CLIENTS * 2).allMatch(status -> status == 200 || status == 504);
            assertThat(answers).as("the pool serves the queued calls").contains(200);
            assertThat(backend.maxOpenConnections()).as("backend connections open at once")
                    .isBetween(1, CONNECTION_CAP);
            assertThat(backend.maxConcurrentRequests()).as("calls in flight at once")
                    .isLessThanOrEqualTo(CONNECTION_CAP);
            assertThat(maxThreads.get() - threadsBefore)
                    .as("platform threads added while %d calls were asked for", CLIENTS * 64)
                    .isLessThanOrEqualTo(CLIENTS + CONNECTION_CAP + 32);
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    @ParameterizedTest(name = "[{0}] gateway: a call queued past the deadline gets 504, and the queue recovers")
    @MethodSource("strategies")
    void aCallQueuedPastTheDeadlineGets504(StrategyUnderTest strategy) throws Exception {
        Limits limits = Limits.DEFAULTS.withRequestDeadline(Duration.ofMillis(500)).withFanOutCaps(64, 1);
        try (TestBackend backend = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             RunningServer server = strategy.start(gateway(backend.address(), limits));
             HttpTestClient client = new HttpTestClient(server.address())) {
            // One connection, four calls of 300 ms each: the third cannot start in time.
            assertThat(client.get("/fanout?k=4&ms=300").status()).isEqualTo(504);
            assertThat(backend.maxConcurrentRequests()).as("calls in flight at once").isEqualTo(1);
            // The backend counts a connection the gateway closed at the deadline until it reads
            // its end, so a connection opened just after may overlap it by one here.
            assertThat(backend.maxOpenConnections()).isBetween(1, 2);
            // The calls given up on left nothing behind in the queue: the next request is served.
            Response next = client.get("/fanout?k=2&ms=0");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("{\"k\":2,\"ms\":0,\"ok\":2}");
        }
    }
}
