package io.asyncbench.reactor;

import io.asyncbench.api.Sleeper;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.TimerFanOut;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code asyncio.sleep(d)} as {@code Mono.delay(d, scheduler)}: what a Reactor user writes. The
 * scheduler is this workload's own parallel scheduler of {@code threads} workers (a
 * ScheduledThreadPoolExecutor each, named by StrategyThreads), never the global
 * {@code Schedulers.parallel()}, which would outlive {@link #close()}. A sleeping task is a
 * MonoDelay subscription and one entry in a worker's timer heap; api's {@link TimerFanOut}
 * gathers them.
 */
final class ReactorTimers implements Sleeper {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Scheduler timer;

    ReactorTimers(String strategyId, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        timer = Schedulers.newParallel(threads, StrategyThreads.platform(strategyId, "timer", true));
    }

    @Override
    public TimerFanOut.Capacity capacity() {
        return TimerFanOut.Capacity.heapOnly("a MonoDelay and its entry in a scheduler's timer heap");
    }

    /** A delay fires when its ScheduledFutureTask is due: never early. */
    @Override
    public void wakeAfter(long delayNanos, Runnable wake) {
        Mono.delay(Duration.ofNanos(delayNanos), timer).subscribe(tick -> wake.run());
    }

    /** Drops pending delays and waits until every worker thread has ended. */
    @Override
    public void close() {
        timer.disposeGracefully().timeout(CLOSE_TIMEOUT).onErrorResume(e -> Mono.empty()).block();
        timer.dispose();
    }
}
