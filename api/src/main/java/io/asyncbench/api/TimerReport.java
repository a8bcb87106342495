package io.asyncbench.api;

/**
 * The outcome of one {@link TimerFanOut#sleepAndGather} call.
 *
 * @param tasks        how many tasks slept
 * @param delayNanos   how long each was asked to sleep
 * @param elapsedNanos from the first task's start to the gather's return, as seen by the caller
 * @param latenessNanos for each task, how long after its due time ({@code start + delay}) it woke;
 *                     never negative: a task may wake late, never early
 */
public record TimerReport(int tasks, long delayNanos, long elapsedNanos, long[] latenessNanos) {

    /** Time beyond the requested delay that gathering N sleeps cost. */
    public long overheadNanos() {
        return elapsedNanos - delayNanos;
    }
}
