package io.asyncbench.futures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FuturesLoopTest {

    @Test
    void aMillionRoundsCompletedAtOnceRunInOneFrame() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        int depth = Thread.currentThread().getStackTrace().length;
        AtomicInteger deepest = new AtomicInteger();
        CompletableFuture<Void> done = FuturesLoop.repeat(() -> {
            if (rounds.incrementAndGet() % 10_000 == 0) {
                deepest.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
            }
            return CompletableFuture.completedFuture(rounds.get() < 1_000_000);
        });
        assertThat(done).isCompleted();
        assertThat(rounds).hasValue(1_000_000);
        assertThat(deepest.get() - depth).as("frames added by the loop").isLessThan(10);
    }

    @Test
    void roundsCompletedLaterResumeOnTheCompletingThread() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        try (ExecutorService io = Executors.newSingleThreadExecutor()) {
            CompletableFuture<Void> done = FuturesLoop.repeat(() -> CompletableFuture.supplyAsync(
                    () -> rounds.incrementAndGet() < 10_000, io));
            done.get(20, TimeUnit.SECONDS);
        }
        assertThat(rounds).hasValue(10_000);
    }

    @Test
    void aFailedRoundEndsTheLoopWithTheOriginalException() {
        IOException reset = new IOException("Connection reset by peer");
        CompletableFuture<Void> done = FuturesLoop.repeat(
                () -> CompletableFuture.<Boolean>failedFuture(reset).thenApply(again -> again));
        assertThat(done).isCompletedExceptionally();
        try {
            done.get();
        } catch (ExecutionException | InterruptedException e) {
            assertThat(e.getCause()).isSameAs(reset);
        }
    }
}
