package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.conformance.LiveThreads.LiveThread;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leak check's parts: reading a thread dump, and telling the JDK's shared threads from others. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveThreadsTest {

    @Test
    void readsThreadsFromTheDumpsOfJdk21AndJdk25() {
        String jdk21 = """
                {"threadDump": {"threadContainers": [{"container": "<root>", "threads": [
                  {"tid": "1", "name": "main", "stack": []},
                  {"tid": "31", "name": "a \\"quoted\\" name", "stack": []}]}]}}""";
        String jdk25 = """
                {"threadDump": {"threadContainers": [{"container": "java.util.concurrent.ThreadPerTaskExecutor@1",
                  "threads": [{"tid": "40", "time": "2026-01-01T00:00:00Z", "name": "worker", "state": "RUNNABLE"},
                  {"tid": "41", "time": "2026-01-01T00:00:00Z", "virtual": true, "name": "", "state": "WAITING"}]}]}}""";

        assertThat(LiveThreads.parse(jdk21)).containsExactly(
                new LiveThread(1, "main", false), new LiveThread(31, "a \\\"quoted\\\" name", false));
        assertThat(LiveThreads.parse(jdk25)).containsExactly(
                new LiveThread(40, "worker", false), new LiveThread(41, "", true));
    }

    @Test
    void leavesOutOnlyTheJdksSharedThreadsNotTheirNames() throws Exception {
        Thread commonPoolWorker = CompletableFuture.supplyAsync(Thread::currentThread, ForkJoinPool.commonPool())
                .get(10, TimeUnit.SECONDS);
        assertThat(LiveThreads.sharedByTheJdk(live(commonPoolWorker), commonPoolWorker))
                .as("a worker of the common pool").isTrue();

        Thread impostor = Thread.ofPlatform().name("Read-Poller").unstarted(() -> { });
        Thread ownPoolWorker;
        try (ForkJoinPool own = new ForkJoinPool(1)) {
            ownPoolWorker = own.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            assertThat(LiveThreads.sharedByTheJdk(live(ownPoolWorker), ownPoolWorker))
                    .as("a worker of a pool a server made").isFalse();
        }
        assertThat(LiveThreads.sharedByTheJdk(live(impostor), impostor))
                .as("a thread that only takes a JDK thread's name").isFalse();
        assertThat(LiveThreads.sharedByTheJdk(new LiveThread(7, "asyncbench-x-io-1", true), null))
                .as("a virtual thread of a server").isFalse();
    }

    @Test
    void findsAThreadStartedSinceASnapshotUntilItEnds() throws Exception {
        Set<Long> before = LiveThreads.snapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread unnamed = Thread.ofVirtual().start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(LiveThreads.startedSince(before)).extracting(LiveThread::id).contains(unnamed.threadId());

        release.countDown();
        LiveThreads.assertAllEndedSince(before, Duration.ofSeconds(20), "after the thread was released");
    }

    private static LiveThread live(Thread thread) {
        return new LiveThread(thread.threadId(), thread.getName(), thread.isVirtual());
    }
}
