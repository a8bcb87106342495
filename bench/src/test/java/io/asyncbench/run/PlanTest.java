package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.cli.FakeStrategies;
import io.asyncbench.external.ExternalServer;
import io.asyncbench.external.ExternalServerStrategy;

import java.util.List;

import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void whatIsNotMeasuredIsListedWithTheReason() {
        List<Strategy> strategies = List.of(new FakeStrategies.Echo(), new FakeStrategies.Unavailable());
        Plan plan = Plan.of(Profile.QUICK, strategies, List.of(Workload.ECHO, Workload.HTTP), 1, false);
        assertThat(plan.cases()).allMatch(c -> c.strategy().equals("fake-echo") && c.workload() == Workload.ECHO);
        assertThat(plan.cases()).hasSize(1);
        assertThat(plan.skips()).extracting(Plan.Skip::message).containsExactly(
                "not measured: strategy fake-unavailable is unavailable here: needs a flux capacitor",
                "not measured: strategy fake-echo does not implement the http workload",
                "not measured: strategy fake-unavailable is unavailable here: needs a flux capacitor");
        assertThat(plan.skips().get(1).benchmark()).isEqualTo("io.asyncbench.bench.HttpBenchmark");
        assertThat(plan.skips().get(1).params()).containsEntry("strategy", "fake-echo");
        assertThat(plan.strategies()).extracting(Plan.StrategyInfo::available).containsExactly(true, false);
        assertThat(plan.estimate()).isPositive();
    }

    @Test
    void theQuickProfileFitsItsBudgetAndCountsEachServersWarmUp() {
        Plan quick = Plan.of(Profile.QUICK, List.of(new FakeStrategies.Echo()), List.of(Workload.ECHO), 1, false);
        BenchmarkCase echo = quick.cases().get(0);
        Profile.Jmh jmh = Profile.QUICK.jmh();
        java.time.Duration iterations = jmh.warmupTime().multipliedBy(jmh.warmupIterations())
                .plus(jmh.measurementTime().multipliedBy(jmh.measurementIterations()));
        assertThat(quick.estimate(echo)).isGreaterThanOrEqualTo(
                Plan.CASE_OVERHEAD.plus(iterations).plus(Plan.TYPICAL_SERVER_WARMUP));
    }

    @Test
    void explainingCostsEachServerOfAnExplainedCaseItsRecording() {
        Plan quick = Plan.of(Profile.QUICK, List.of(new FakeStrategies.Echo()), List.of(Workload.ECHO), 1, false);
        Plan explained = quick.explaining(true);
        BenchmarkCase echo = quick.cases().get(0);
        assertThat(quick.explain()).isFalse();
        assertThat(explained.explain()).isTrue();
        // each server JVM of the fork records its warm-up
        assertThat(explained.estimate(echo)).isEqualTo(quick.estimate(echo).plus(
                Plan.EXPLAIN_OVERHEAD.multipliedBy(Profile.QUICK.jmh().servers())));
        assertThat(Plan.explainable(echo)).isTrue();
        assertThat(Plan.explainable(new BenchmarkCase("EchoBenchmark", "latency", "x", java.util.Map.of(), false)))
                .as("closed-loop latency is not explained").isFalse();
        assertThat(Plan.explainable(new BenchmarkCase("GatewayBenchmark", "throughput", "x", java.util.Map.of(), false)))
                .isFalse();
        assertThat(Plan.of(Profile.QUICK, List.of(new FakeStrategies.Echo()), List.of(Workload.ECHO), 1, true)
                .explaining(true).explain()).as("a --target server runs elsewhere").isFalse();
    }

    @Test
    void anExternalServerRunsItsHeadlineCasesOpenLoopIncludedWithoutAMemoryStep() {
        ExternalServer mine = echoAndHttpServer("mine", "my server", false);
        Plan quick = Plan.of(Profile.QUICK, List.of(new FakeStrategies.Echo(), new ExternalServerStrategy(mine)),
                List.of(Workload.ECHO, Workload.HTTP), 1, false);
        List<BenchmarkCase> external = quick.cases().stream().filter(c -> c.strategy().equals("mine")).toList();
        assertThat(external).extracting(BenchmarkCase::label).containsExactly(
                "echo.throughput mine size=1024 connections=64",
                "http.throughput mine endpoint=plaintext connections=256 pipeline=1");
        assertThat(external).as("driven by the open loop too").allMatch(BenchmarkCase::openLoop);
        assertThat(external).as("the memory step needs a control channel").noneMatch(quick::memoryStep);
        assertThat(quick.externals()).containsExactly(mine);
        BenchmarkCase jvmEcho = quick.cases().get(0);
        assertThat(quick.estimate(external.get(0))).as("no JIT to wait for").isLessThan(quick.estimate(jvmEcho));
    }

    @Test
    void quickKeepsTheReferencesToHttpWithOneServerAndTheCommonLadder() {
        ExternalServer reference = echoAndHttpServer("ref", "a reference", true);
        Plan quick = Plan.of(Profile.QUICK, List.of(new FakeStrategies.Echo(), new ExternalServerStrategy(reference)),
                List.of(Workload.ECHO, Workload.HTTP), 1, false);
        assertThat(quick.cases()).filteredOn(c -> c.strategy().equals("ref")).extracting(BenchmarkCase::label)
                .containsExactly("http.throughput ref endpoint=plaintext connections=256 pipeline=1");
        assertThat(quick.skips()).filteredOn(s -> s.params().get("strategy").equals("ref"))
                .extracting(Plan.Skip::message).containsExactly("not measured: in quick the references run http only"
                        + " there, to keep it within its time budget (their echo is in smoke and full)");
        assertThat(Profile.QUICK.ownPeakFractions(true)).as("the common ladder only").isEmpty();
        assertThat(Profile.QUICK.ownPeakFractions(false)).isEqualTo(Profile.QUICK.openLoop().fractionsOfPeak());
        assertThat(Profile.FULL.ownPeakFractions(true)).isEqualTo(Profile.FULL.openLoop().fractionsOfPeak());

        Plan full = Plan.of(Profile.FULL, List.of(new ExternalServerStrategy(reference)), List.of(Workload.ECHO), 1,
                false);
        assertThat(full.cases()).as("every echo case a strategy gets").hasSize(
                Profile.FULL.cases(Workload.ECHO, "ref").size());
    }

    @Test
    void smokeRunsTheLatencyMethodsOnTheFirstStrategyOnly() {
        Plan plan = Plan.of(Profile.SMOKE, List.of(new FakeStrategies.Echo(), new FakeStrategies.Corrupting()),
                List.of(Workload.ECHO), 1, false);
        assertThat(plan.cases()).extracting(BenchmarkCase::label).containsExactly(
                "echo.throughput fake-echo size=1024 connections=16",
                "echo.latency fake-echo size=1024 connections=16",
                "echo.throughput fake-corrupting size=1024 connections=16");
    }

    @Test
    void aRemoteTargetSkipsTheInProcessWorkload() {
        Plan plan = Plan.of(Profile.SMOKE, List.of(new FakeStrategies.Echo()), List.of(Workload.TIMERS, Workload.ECHO),
                1, true);
        assertThat(plan.skips()).singleElement().extracting(Plan.Skip::message)
                .asString().contains("runs in process and cannot use --target");
        assertThat(plan.cases()).isNotEmpty();
    }

    /** An external server of echo and http, available here. */
    private static ExternalServer echoAndHttpServer(String name, String description, boolean reference) {
        return new ExternalServer(name, java.util.Map.of(Workload.ECHO, "srv {port} echo",
                Workload.HTTP, "srv {port} http"), description, reference, Availability.availableHere());
    }

    @Test
    void timersThatAreAnothersCodeForCodeAreMeasuredOnceAndSaySo() {
        Strategy wheel = new Timed("wheel-nio", null);
        Strategy same = new Timed("wheel-epoll", "wheel-nio");
        Plan both = Plan.of(Profile.QUICK, List.of(wheel, same), List.of(Workload.TIMERS), 1, false);
        assertThat(both.cases()).extracting(BenchmarkCase::strategy).containsExactly("wheel-nio");
        assertThat(both.skips()).singleElement().satisfies(skip -> {
            assertThat(skip.params()).containsEntry("strategy", "wheel-epoll");
            assertThat(skip.message()).isEqualTo("not measured: the timers of wheel-epoll are those of wheel-nio,"
                    + " code for code: measured once, as wheel-nio");
        });
        Plan alone = Plan.of(Profile.QUICK, List.of(same), List.of(Workload.TIMERS), 1, false);
        assertThat(alone.cases()).as("without the other, its timers are measured")
                .extracting(BenchmarkCase::strategy).containsExactly("wheel-epoll");
    }

    /** A strategy playing only the timers workload, whose timers may be another's. */
    private record Timed(String id, String sameAs) implements Strategy {

        @Override
        public String description() {
            return id;
        }

        @Override
        public Availability availability() {
            return Availability.availableHere();
        }

        @Override
        public java.util.Set<io.asyncbench.api.ServerWorkload> serverWorkloads() {
            return java.util.Set.of();
        }

        @Override
        public java.util.Optional<java.util.function.IntFunction<io.asyncbench.api.Sleeper>> sleepers() {
            return java.util.Optional.of(threads -> new io.asyncbench.api.Sleeper() {
                @Override
                public io.asyncbench.api.TimerFanOut.Capacity capacity() {
                    return io.asyncbench.api.TimerFanOut.Capacity.unbounded();
                }

                @Override
                public void wakeAfter(long delayNanos, Runnable wake) {
                    wake.run();
                }

                @Override
                public void close() {
                }
            });
        }

        @Override
        public io.asyncbench.api.RunningServer start(io.asyncbench.api.ServerSpec spec) {
            throw new io.asyncbench.api.UnsupportedWorkloadException(this, spec.workload());
        }

        @Override
        public java.util.Optional<String> timersSameAs() {
            return java.util.Optional.ofNullable(sameAs);
        }
    }
}
