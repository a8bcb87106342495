package io.asyncbench.virtualthreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.TimerFanOut.Capacity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadKindTest {

    private static final String ID = "thread-kind-test";

    @Test
    void virtualThreadsAreBoundedByHeapOnly() {
        assertThat(ThreadKind.VIRTUAL.capacity()).isEqualTo(Capacity.unbounded());
    }

    @Test
    void platformThreadsCannotHoldAMillionTasks() {
        assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/threads-max")), "needs Linux /proc");
        Capacity capacity = ThreadKind.PLATFORM.capacity();
        assertThat(capacity.maxTasks()).isPositive().isLessThan(1_000_000);
        assertThat(capacity.reason()).startsWith("one OS thread and its stack per task")
                .contains("kernel.threads-max=", "kernel.pid_max=", "threads alive on the machine");
    }

    @Test
    void factoriesNameThreadsOfTheirKind() {
        Thread virtual = ThreadKind.VIRTUAL.factory("virtual-threads", "conn").newThread(() -> { });
        Thread platform = ThreadKind.PLATFORM.factory("platform-threads", "conn").newThread(() -> { });
        assertThat(virtual.isVirtual()).isTrue();
        assertThat(virtual.getName()).isEqualTo("asyncbench-virtual-threads-conn-1");
        assertThat(platform.isVirtual()).isFalse();
        assertThat(platform.isDaemon()).isTrue();
        assertThat(platform.getName()).isEqualTo("asyncbench-platform-threads-conn-1");
    }

    @Test
    void virtualThreadsStartANewThreadPerBackendCall() throws Exception {
        try (BackendCalls calls = ThreadKind.VIRTUAL.backendCalls(ID, "backend")) {
            Thread first = threadOfOneCall(calls);
            Thread second = threadOfOneCall(calls);
            assertThat(first.isVirtual()).isTrue();
            assertThat(first.getName()).startsWith("asyncbench-" + ID + "-backend-");
            assertThat(second).isNotSameAs(first);
        }
    }

    @Test
    void platformThreadsReusePooledThreadsForBackendCallsAndJoinThemOnClose() throws Exception {
        BackendCalls calls = ThreadKind.PLATFORM.backendCalls(ID, "backend");
        Thread first;
        try {
            first = threadOfOneCall(calls);
            // Back in the pool once it waits (timed: the pool's keep-alive) for the next call.
            TestSupport.pollUntil("the call's thread is idle", Duration.ofSeconds(10),
                    () -> first.getState() == Thread.State.TIMED_WAITING);
            assertThat(threadOfOneCall(calls)).as("the idle pooled thread takes the next call").isSameAs(first);
            assertThat(first.isVirtual()).isFalse();
            assertThat(first.isDaemon()).isTrue();
            assertThat(first.getName()).isEqualTo("asyncbench-" + ID + "-backend-1");
        } finally {
            calls.close();
        }
        assertThat(first.isAlive()).as("close() joins the pool's threads").isFalse();
        assertThat(TestSupport.liveThreads("asyncbench-" + ID + "-")).isEmpty();
    }

    @ParameterizedTest(name = "[{0}] a scope closes only once its calls have returned, cancelled or not")
    @EnumSource(ThreadKind.class)
    void aScopeClosesOnlyOnceItsCallsHaveReturned(ThreadKind kind) throws Exception {
        try (BackendCalls calls = kind.backendCalls(ID, "backend")) {
            AtomicBoolean finished = new AtomicBoolean();
            AtomicBoolean cancelledEnded = new AtomicBoolean();
            CountDownLatch blocked = new CountDownLatch(1);
            // As the gateway does at its deadline: cancel(true) a call blocked in a wait.
            FutureTask<Void> cancelled = new FutureTask<>(() -> {
                try {
                    blocked.countDown();
                    Thread.sleep(60_000);
                } finally {
                    Thread.sleep(100); // still cleaning up (closing its socket) after the interrupt?
                    cancelledEnded.set(true);
                }
                return null;
            });
            try (BackendCalls.Scope scope = calls.open()) {
                scope.execute(() -> {
                    sleepQuietly(100);
                    finished.set(true);
                });
                scope.execute(cancelled);
                blocked.await();
                cancelled.cancel(true);
            }
            assertThat(finished).as("a call that finishes on its own").isTrue();
            assertThat(cancelledEnded).as("a cancelled call").isTrue();

            AtomicReference<Boolean> interrupted = new AtomicReference<>();
            try (BackendCalls.Scope scope = calls.open()) {
                scope.execute(() -> interrupted.set(Thread.currentThread().isInterrupted()));
            }
            assertThat(interrupted).as("the next call does not inherit the cancelling interrupt").hasValue(false);
        }
    }

    private static Thread threadOfOneCall(BackendCalls calls) {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        try (BackendCalls.Scope scope = calls.open()) {
            scope.execute(() -> ranOn.set(Thread.currentThread()));
        }
        return ranOn.get();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError("nobody interrupts this call", e);
        }
    }
}
