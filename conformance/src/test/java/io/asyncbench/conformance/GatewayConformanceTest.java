package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpResponseParser.Response;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway workload (scatter-gather with a deadline), checked the same way for every strategy. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayConformanceTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    private static ServerSpec gateway(List<InetSocketAddress> backends, Duration deadline) {
        return ServerSpec.loopback(Workload.GATEWAY, backends)
                .withLimits(Limits.DEFAULTS.withRequestDeadline(deadline));
    }

    @ParameterizedTest(name = "[{0}] gateway calls K backends concurrently and gathers")
    @MethodSource("strategies")
    void fansOutConcurrentlyAndGathers(StrategyUnderTest strategy) throws Exception {
        try (TestBackend a = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             TestBackend b = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             RunningServer server = strategy.start(gateway(List.of(a.address(), b.address()), Duration.ofSeconds(5)));
             HttpTestClient client = new HttpTestClient(server.address())) {
            Response response = client.get("/fanout?k=8&ms=300");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.bodyText()).isEqualTo("{\"k\":8,\"ms\":300,\"ok\":8}");
            assertThat(a.requests()).as("calls alternate between backends").isEqualTo(4);
            assertThat(b.requests()).isEqualTo(4);
            assertThat(a.maxConcurrentRequests() + b.maxConcurrentRequests())
                    .as("all eight calls were in flight at once").isEqualTo(8);
            assertThat(client.get("/plaintext").bodyText()).as("it is an http server too").isEqualTo("Hello, World!");
        }
    }

    @ParameterizedTest(name = "[{0}] gateway in front of its own http servers")
    @MethodSource("strategies")
    void worksWithItsOwnHttpServersAsBackends(StrategyUnderTest strategy) throws Exception {
        strategy.assumeServes(Workload.GATEWAY);
        try (RunningServer backendA = strategy.start(Workload.HTTP);
             RunningServer backendB = strategy.start(Workload.HTTP);
             RunningServer server = strategy.start(gateway(
                     List.of(backendA.address(), backendB.address()), Duration.ofSeconds(5)));
             HttpTestClient client = new HttpTestClient(server.address())) {
            for (int i = 0; i < 10; i++) {
                assertThat(client.get("/fanout?k=4&ms=1").bodyText()).isEqualTo("{\"k\":4,\"ms\":1,\"ok\":4}");
            }
            assertThat(backendA.counters().requests() + backendB.counters().requests()).isEqualTo(40);
        }
    }

    @ParameterizedTest(name = "[{0}] gateway pools its backend connections")
    @MethodSource("strategies")
    void poolsBackendConnections(StrategyUnderTest strategy) throws Exception {
        try (TestBackend backend = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             RunningServer server = strategy.start(gateway(List.of(backend.address()), Duration.ofSeconds(5)));
             HttpTestClient client = new HttpTestClient(server.address())) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.get("/fanout?k=2&ms=0").status()).isEqualTo(200);
            }
            assertThat(backend.requests()).isEqualTo(40);
            assertThat(backend.accepted()).as("backend connections opened for 40 calls").isLessThanOrEqualTo(10);
        }
    }

    @ParameterizedTest(name = "[{0}] gateway answers 504 at the deadline and cancels outstanding calls")
    @MethodSource("strategies")
    void answers504AtTheDeadlineAndCancels(StrategyUnderTest strategy) throws Exception {
        try (TestBackend fine = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             TestBackend silent = new TestBackend(TestBackend.Behaviour.HTTP_SILENT);
             RunningServer server = strategy.start(gateway(
                     List.of(fine.address(), silent.address()), Duration.ofMillis(300)));
             HttpTestClient client = new HttpTestClient(server.address())) {
            long start = System.nanoTime();
            Response response = client.get("/fanout?k=4&ms=10");
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response.status()).isEqualTo(504);
            assertThat(elapsedMs).as("not before the deadline").isGreaterThanOrEqualTo(300);
            Poll.until("the cancelled calls' connections are closed", SETTLE,
                    () -> silent.openConnections() == 0);
            assertThat(silent.accepted()).as("the silent backend was called").isPositive();
            assertThat(server.counters().errors())
                    .as("a call cancelled at the deadline is no error of its own (ServerCounters): the 504 says it")
                    .isZero();
            assertThat(client.get("/json").status()).as("the client connection is still served").isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "[{0}] gateway answers 502 for a refused or failing backend")
    @MethodSource("strategies")
    void answers502ForBackendFailures(StrategyUnderTest strategy) throws Exception {
        try (TestBackend fine = new TestBackend(TestBackend.Behaviour.HTTP_DELAY);
             TestBackend broken = new TestBackend(TestBackend.Behaviour.HTTP_BROKEN);
             RunningServer refusing = strategy.start(gateway(
                     List.of(fine.address(), TestBackend.refusedAddress()), Duration.ofSeconds(10)));
             RunningServer failing = strategy.start(gateway(
                     List.of(fine.address(), broken.address()), Duration.ofSeconds(10)))) {
            for (RunningServer server : List.of(refusing, failing)) {
                try (HttpTestClient client = new HttpTestClient(server.address())) {
                    long start = System.nanoTime();
                    assertThat(client.get("/fanout?k=2&ms=1").status()).isEqualTo(502);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                            .as("a failure is reported without waiting for the deadline").isLessThan(10_000);
                    assertThat(client.get("/plaintext").status()).isEqualTo(200);
                }
            }
        }
    }
}
