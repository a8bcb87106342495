package io.asyncbench.vertx;

import io.asyncbench.api.Limits;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.TimerFanOut;
import io.vertx.core.Context;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.TimeUnit;

/**
 * {@code asyncio.sleep(d)} as Vert.x sleeps: {@code vertx.setTimer(ms, handler)}, a timer on the
 * event loop of the context that asks (each timer is also an entry in Vert.x's map of timers, so
 * that it can be cancelled by id). One lane per event loop, each asked on its own loop's context,
 * as a verticle on that loop would set its timers; the {@code threads} budget is the number of
 * event loops.
 *
 * <p>Vert.x timers count in whole milliseconds: a delay is rounded up, never down, so a task
 * never wakes early.
 */
final class VertxTimers implements Sleeper {

    private final VertxEngine engine;
    private final Context[] lanes;

    VertxTimers(String strategyId, int threads) {
        engine = VertxEngine.start(strategyId, threads, new VertxTransport(Limits.DEFAULTS));
        lanes = new Context[threads];
        VertxInternal vertx = (VertxInternal) engine.vertx();
        for (int i = 0; i < threads; i++) {
            lanes[i] = vertx.createEventLoopContext(); // round-robin: one per event loop
        }
    }

    @Override
    public TimerFanOut.Capacity capacity() {
        return TimerFanOut.Capacity.heapOnly("a timer task in an event loop's queue and an entry in Vert.x's timer map");
    }

    @Override
    public void wakeAfter(long delayNanos, Runnable wake) {
        engine.vertx().setTimer(millisNotEarly(delayNanos), id -> wake.run());
    }

    /** Whole milliseconds, rounded up (and at least 1, Vert.x's smallest timer): never early. */
    static long millisNotEarly(long delayNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos + TimeUnit.MILLISECONDS.toNanos(1) - 1));
    }

    @Override
    public int lanes() {
        return lanes.length;
    }

    @Override
    public void inLane(int lane, Runnable asking) {
        lanes[lane].runOnContext(v -> asking.run());
    }

    @Override
    public void close() {
        engine.close();
    }
}
