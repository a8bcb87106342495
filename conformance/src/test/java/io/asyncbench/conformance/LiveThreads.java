package io.asyncbench.conformance;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every live thread, virtual ones included: {@link Thread#getAllStackTraces()} omits virtual
 * threads, so this reads the JDK's JSON thread dump (JDK 21+), which lists the threads of every
 * thread container (executors, structured scopes) as well as the platform threads.
 *
 * <p>A leak check takes a {@link #snapshot()} before the server starts and asks, after
 * {@code close()}, which threads started since are still alive ({@link #startedSince}), whatever
 * their names. Left out are only the JDK's own threads that any code in the JVM starts lazily on
 * first use and that then serve the whole JVM, so that no server can stop them
 * ({@link #sharedByTheJdk}).
 */
final class LiveThreads {

    /** One thread of a dump: its id, its name, and whether it is virtual. */
    record LiveThread(long id, String name, boolean virtual) {
        @Override
        public String toString() {
            return "#" + id + " \"" + name + "\"" + (virtual ? " (virtual)" : "");
        }
    }

    // "tid" then, before the next thread, "virtual": true (JDK 25; absent in 21) and "name".
    private static final Pattern THREAD = Pattern.compile(
            "\"tid\"\\s*:\\s*\"?(\\d+)\"?(.*?)\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern VIRTUAL = Pattern.compile("\"virtual\"\\s*:\\s*\"?true");

    /** Names of live threads starting with {@code prefix}. */
    static List<String> named(String prefix) {
        return all().stream().map(LiveThread::name).filter(name -> name.startsWith(prefix)).toList();
    }

    /** The ids of the threads alive now: what {@link #startedSince} compares against. */
    static Set<Long> snapshot() {
        return all().stream().map(LiveThread::id).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The threads alive now that were not in {@code before}, except those the JDK shares with the
     * whole JVM ({@link #sharedByTheJdk}).
     */
    static List<LiveThread> startedSince(Set<Long> before) {
        Map<Long, Thread> platform = Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.toMap(Thread::threadId, Function.identity(), (a, b) -> a));
        return all().stream()
                .filter(thread -> !before.contains(thread.id()))
                .filter(thread -> !sharedByTheJdk(thread, platform.get(thread.id())))
                .toList();
    }

    /**
     * Polls until every thread started since {@code before} (but the JDK's shared ones) has ended,
     * and fails naming those still alive after {@code limit}. Polled, not checked once: a thread
     * the test itself started (a client's writer) may still be finishing its last instruction.
     */
    static void assertAllEndedSince(Set<Long> before, Duration limit, String what) {
        List<LiveThread> left = Poll.untilValue(limit, () -> startedSince(before), List::isEmpty);
        if (!left.isEmpty()) {
            throw new AssertionError(what + ": threads started since, still alive after " + limit + ": " + left);
        }
    }

    /**
     * True for a thread that the JDK starts lazily, the first time any code in the JVM needs it,
     * and keeps for the whole JVM: a server that causes it to start cannot and should not stop it.
     * Recognised by its class or pool, not by a name a strategy could also choose:
     * <ul>
     *   <li>{@code jdk.internal.misc.InnocuousThread}: the JDK's system threads, among them the
     *       pollers that park virtual threads blocked in IO ({@code Read-Poller},
     *       {@code Write-Poller}, {@code MasterPoller}), {@code VirtualThread-unparker} (timed
     *       parks of virtual threads), {@code process reaper} (a child process, as the external
     *       servers are), {@code Common-Cleaner};</li>
     *   <li>{@code jdk.internal.misc.CarrierThread}: the carriers of the default virtual-thread
     *       scheduler, started as virtual threads need them and kept alive for reuse;</li>
     *   <li>workers of {@link ForkJoinPool#commonPool()} and its delay scheduler
     *       ({@code CompletableFuture.runAsync} without an executor, {@code delayedExecutor},
     *       {@code orTimeout}; JDK 21 to 24 name the latter {@code CompletableFutureDelayScheduler});</li>
     *   <li>virtual {@code SubPoller-N}: on Linux since JDK 22 the pollers' second tier runs on
     *       virtual threads (the only entry recognised by name: a virtual thread has no class of
     *       its own).</li>
     * </ul>
     */
    static boolean sharedByTheJdk(LiveThread thread, Thread platform) {
        if (platform == null) {
            return thread.name().matches("SubPoller-\\d+"); // a virtual thread: not in the platform map
        }
        String type = platform.getClass().getName();
        return type.equals("jdk.internal.misc.InnocuousThread")
                || type.equals("jdk.internal.misc.CarrierThread")
                || platform instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool()
                || type.equals("java.util.concurrent.DelayScheduler")
                        && platform.getName().startsWith("ForkJoinPool.commonPool-")
                || platform.getName().equals("CompletableFutureDelayScheduler");
    }

    static List<LiveThread> all() {
        try {
            Path dir = Files.createTempDirectory("asyncbench-threads");
            Path dump = dir.resolve("threads.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toAbsolutePath().toString(), ThreadDumpFormat.JSON);
                return parse(Files.readString(dump));
            } finally {
                Files.deleteIfExists(dump);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not take a thread dump", e);
        }
    }

    /** The threads of a JSON thread dump, in its order. */
    static List<LiveThread> parse(String json) {
        Matcher matcher = THREAD.matcher(json);
        List<LiveThread> threads = new ArrayList<>();
        while (matcher.find()) {
            boolean virtual = VIRTUAL.matcher(matcher.group(2)).find();
            threads.add(new LiveThread(Long.parseLong(matcher.group(1)), matcher.group(3), virtual));
        }
        return threads;
    }

    private LiveThreads() {
    }
}
