package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JoinableThreadsTest {

    @Test
    void namesDaemonThreadsByStrategyRoleAndNumberForExecutorsAndForkJoinPools() throws Exception {
        JoinableThreads threads = new JoinableThreads("fake", "timer");
        Thread first = threads.newThread(() -> { });
        Thread second = threads.newThread(() -> { });
        assertThat(first.getName()).isEqualTo("asyncbench-fake-timer-1");
        assertThat(second.getName()).isEqualTo("asyncbench-fake-timer-2");
        assertThat(first.isDaemon()).isTrue();

        ForkJoinPool pool = new ForkJoinPool(1, threads, null, true);
        try {
            String worker = pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            assertThat(worker).isEqualTo("asyncbench-fake-timer-3");
        } finally {
            pool.shutdownNow();
            threads.terminate("pool", pool::awaitTermination);
        }
        assertThat(threads.joinAll(System.nanoTime())).as("never-started threads are not alive").isTrue();
    }

    @Test
    void joinAllTellsWhetherEveryThreadHasEndedByTheDeadline() throws Exception {
        JoinableThreads threads = new JoinableThreads("fake", "io");
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(2, threads);
        executor.execute(() -> awaitQuietly(release));
        executor.execute(() -> { });
        assertThat(threads.joinAll(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();

        release.countDown();
        executor.shutdown();
        threads.terminate("io", executor::awaitTermination);
        assertThat(threads.joinAll(System.nanoTime())).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
