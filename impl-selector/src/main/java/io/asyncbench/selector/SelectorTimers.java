package io.asyncbench.selector;

import io.asyncbench.api.Limits;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.TimerFanOut;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * {@code asyncio.sleep(d)} on this module's loops: {@code call_later(d, wake)}. A sleeping task is
 * nothing but a {@link TimerHandle} on its loop's timer heap, which is why a million of them fit:
 * no stack, no thread, one heap entry and a small callback.
 *
 * <p>Each loop is a lane of api's {@link TimerFanOut}: it gets an even share of the tasks and
 * schedules them in one callback on its own thread, as asyncio creates a loop's sleeps on that
 * loop (the heap is the loop's alone, with no lock).
 */
final class SelectorTimers implements Sleeper {

    private final SelectorLoopGroup loops;

    SelectorTimers(String strategyId, int threads) {
        try {
            loops = new SelectorLoopGroup(strategyId, threads, Limits.DEFAULTS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the timer loops", e);
        }
    }

    @Override
    public TimerFanOut.Capacity capacity() {
        return TimerFanOut.Capacity.heapOnly("one TimerHandle on a loop's timer heap");
    }

    @Override
    public int lanes() {
        return loops.size();
    }

    @Override
    public void inLane(int lane, Runnable asking) {
        loops.get(lane).callSoonThreadsafe(asking);
    }

    /** On a loop's thread (inside {@link #inLane}): that loop's {@code call_later}. */
    @Override
    public void wakeAfter(long delayNanos, Runnable wake) {
        runningLoop().callLater(delayNanos, TimeUnit.NANOSECONDS, wake);
    }

    /** asyncio's get_running_loop(): the loop whose thread this is, among a handful. */
    private SelectorEventLoop runningLoop() {
        for (int i = 0; i < loops.size(); i++) {
            SelectorEventLoop loop = loops.get(i);
            if (loop.onLoopOrIdle()) {
                return loop;
            }
        }
        throw new IllegalStateException("not on a timer loop's thread: sleeps are asked for in inLane");
    }

    @Override
    public void close() {
        loops.close();
    }
}
