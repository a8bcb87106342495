package io.asyncbench.conformance;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition by polling it, never by sleeping a guessed time. */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(10);

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code limit}. */
    static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what);
            }
            pause();
        }
    }

    /**
     * Polls {@code value} until {@code done} accepts it; returns the last value, accepted or not
     * after {@code limit}, so the caller can name what was still wrong.
     */
    static <T> T untilValue(Duration limit, Supplier<T> value, Predicate<T> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = value.get();
        while (!done.test(last) && System.nanoTime() - deadline < 0) {
            pause();
            last = value.get();
        }
        return last;
    }

    /**
     * Polls {@code value} until it has not changed for {@code quiet}: how to tell that a flow has
     * stalled (backpressure reached the sender) without knowing in advance when it will.
     */
    static <T> T untilStable(String what, Duration quiet, Duration limit, Supplier<T> value) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = value.get();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < quiet.toNanos()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what
                        + " stops changing (last value " + last + ")");
            }
            pause();
            T now = value.get();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }

    private Poll() {
    }
}
