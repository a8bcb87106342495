package io.asyncbench.netty;

import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The timers workload: {@code asyncio.gather(*(asyncio.sleep(d) for _ in range(n)))} as
 * {@link EventLoop#schedule} on a group of {@code threads} event loops, the timer Netty's own
 * handlers use (IdleStateHandler, the http workload's /delay). A sleeping task is one
 * ScheduledFutureTask in its loop's timer heap, woken by the loop's own select timeout
 * (epoll_wait with a timerfd on epoll, {@code Selector.select(ms)} on NIO): no thread, no stack.
 *
 * <p>Not {@code HashedWheelTimer}, which Netty users reach for to hold very many timeouts that
 * rarely fire (request and idle timeouts): its ticks make every task up to a tick late (100 ms
 * by default), where this workload measures lateness, and it runs every callback on one thread
 * whatever the thread budget. Measured with 1,000,000 sleeps of 1 s on 2 threads (see the report
 * of issue 3): the loops' heaps wake each task within a millisecond or so, at about the same heap
 * per pending task.
 *
 * <p>The tasks are spread evenly over the loops. Each loop schedules its share from inside the
 * loop (no cross-thread task queue per sleep), counts its wake-ups with a plain int, and counts
 * the caller's latch down once its last task has woken: the gather is one count per loop.
 */
final class NettyTimers implements TimerFanOut {

    private final NettyLoopGroup loops;
    private final List<EventLoop> members = new ArrayList<>();

    NettyTimers(String strategyId, NettyTransport transport, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        loops = NettyLoopGroup.start(strategyId, "timer", threads, transport);
        for (EventExecutor loop : loops.group()) {
            members.add((EventLoop) loop);
        }
    }

    @Override
    public Capacity capacity() {
        return new Capacity(Integer.MAX_VALUE,
                "bounded by heap only: a sleeping task is one ScheduledFutureTask on its loop's timer heap");
    }

    @Override
    public TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: " + tasks);
        }
        long delayNanos = delay.toNanos();
        long[] due = new long[tasks];
        long[] woke = new long[tasks];
        int loopCount = Math.min(members.size(), tasks);
        CountDownLatch gathered = new CountDownLatch(loopCount);
        long start = System.nanoTime();
        for (int l = 0; l < loopCount; l++) {
            // Loop l takes tasks l, l + loopCount, l + 2 * loopCount, ...
            Sleepers sleepers = new Sleepers(members.get(l), l, loopCount, tasks, delayNanos, due, woke, gathered);
            sleepers.loop.execute(sleepers::schedule);
        }
        gathered.await();
        long elapsed = System.nanoTime() - start;
        long[] lateness = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            lateness[i] = woke[i] - due[i]; // a loop runs a task only once due: never negative
        }
        return new TimerReport(tasks, delayNanos, elapsed, lateness);
    }

    /** One loop's share of the tasks; lives on that loop, so its counter is a plain int. */
    private static final class Sleepers {

        final EventLoop loop;
        private final int first;
        private final int stride;
        private final int tasks;
        private final long delayNanos;
        private final long[] due;
        private final long[] woke;
        private final CountDownLatch gathered;
        private int sleeping;

        Sleepers(EventLoop loop, int first, int stride, int tasks, long delayNanos,
                 long[] due, long[] woke, CountDownLatch gathered) {
            this.loop = loop;
            this.first = first;
            this.stride = stride;
            this.tasks = tasks;
            this.delayNanos = delayNanos;
            this.due = due;
            this.woke = woke;
            this.gathered = gathered;
        }

        void schedule() {
            for (int i = first; i < tasks; i += stride) {
                int task = i;
                sleeping++;
                // Due no earlier than this: schedule() reads the clock again for its deadline.
                due[task] = System.nanoTime() + delayNanos;
                // The callback captures only (this, task): with its ScheduledFutureTask, that is
                // all a pending task costs.
                loop.schedule(() -> wake(task), delayNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void wake(int task) {
            woke[task] = System.nanoTime();
            if (--sleeping == 0) {
                gathered.countDown();
            }
        }
    }

    @Override
    public void close() {
        loops.close();
    }
}
