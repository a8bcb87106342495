package io.asyncbench.load;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * What the closed and the open loop both do around their client loops' threads: wait for the
 * window's start, read the operations at each sub-window's boundary, and take a loop's result,
 * its wrong reply rethrown as the load's.
 */
final class LoadTasks {

    private LoadTasks() {
    }

    /** Parks the calling thread until {@link System#nanoTime()} reaches {@code at}. */
    static void parkUntil(long at) throws InterruptedException {
        for (long left = at - System.nanoTime(); left > 0; left = at - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * Tells {@code probe} the operations {@code loops} completed so far at each of the
     * {@code parts + 1} boundaries of the window that begins at {@code from}: its own loops' only,
     * so that two loads in one JVM do not count each other's.
     */
    static Void probeAtBoundaries(OpenLoop.WindowProbe probe, List<ClientLoop> loops, long from, long windowNanos,
                                  int parts) throws Exception {
        for (int i = 0; i <= parts; i++) {
            parkUntil(from + windowNanos * i / parts);
            long operations = 0;
            for (ClientLoop loop : loops) {
                operations += loop.completedSoFar();
            }
            probe.at(i, operations);
        }
        return null;
    }

    /** The task's result; a wrong reply it met is the load's LoadException, any other failure wrapped in one. */
    static <T> T get(Future<T> result) throws LoadException, InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LoadException wrong) {
                throw wrong;
            }
            throw new LoadException("the load generator failed: " + e.getCause(), e.getCause());
        }
    }
}
