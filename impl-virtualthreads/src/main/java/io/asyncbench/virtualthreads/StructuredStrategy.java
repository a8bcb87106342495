package io.asyncbench.virtualthreads;

import io.asyncbench.api.Availability;
import io.asyncbench.api.StrategyFacts;
import io.asyncbench.api.StrategyThreads;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads with structured concurrency: the code of {@link VirtualThreadsStrategy}, unchanged
 * (echo, http, proxy, timers, the gateway's pool and caps), except how the gateway runs a
 * request's backend calls: the subtasks of a {@code StructuredTaskScope} (JEP 505) whose timeout
 * is the request's deadline, the JDK's counterpart of {@code asyncio.TaskGroup} inside
 * {@code asyncio.timeout} ({@code StructuredFanOut}). Comparing the two isolates what the scope
 * costs against an executor per request and a completion queue.
 *
 * <h2>A preview API</h2>
 * {@code StructuredTaskScope} is a preview API in JDK 25. The one class that uses it,
 * {@code StructuredFanOut}, is compiled apart ({@code src/main/java-preview}, {@code --enable-preview
 * --release 25}) and loads only in a JDK 25 JVM started with {@code --enable-preview}; this class
 * and every other one are ordinary JDK 21 class files, so ServiceLoader can make this strategy in
 * any JVM (the command line, a JMH fork, a report). It declares the option
 * ({@link StrategyFacts#jvmOptions()}): the bench starts its server JVMs with it, and
 * {@link #availability()} answers for such a JVM, so a JVM without it (the command line) still
 * plans and lists it. Only the gateway loads the preview class, when it starts.
 *
 * <h2>The IO thread budget, pinning</h2>
 * As for {@link VirtualThreadsStrategy}: carriers of the JDK's scheduler. A scope's subtasks are
 * virtual threads made by this strategy's named factory; the scope's timeout is scheduled on the
 * JDK's shared delay scheduler, as {@code CompletableFuture.orTimeout} is.
 */
public final class StructuredStrategy extends BlockingStrategy {

    public static final String ID = "structured";

    /** Compiled with --enable-preview: never linked from here, only named. */
    private static final PreviewClass FAN_OUT = new PreviewClass("io.asyncbench.virtualthreads.StructuredFanOut");

    public StructuredStrategy() {
        super(ID, "virtual-threads' blocking code; the gateway forks its backend calls in a StructuredTaskScope"
                + " with the deadline as its timeout (JEP 505, a preview API of JDK 25: its server JVM gets"
                + " --enable-preview)", ThreadKind.VIRTUAL);
    }

    /**
     * Where a JDK 25 JVM started with --enable-preview can load the scope's class; the reason
     * otherwise. Checked once per JVM: the answer cannot change.
     */
    @Override
    public Availability availability() {
        return Answer.AVAILABILITY;
    }

    private static final class Answer {
        static final Availability AVAILABILITY = FAN_OUT.availability();
    }

    @Override
    FanOut fanOut() {
        ThreadFactory calls = StrategyThreads.virtual(ID, "backend");
        return FAN_OUT.newInstance(FanOut.class, ThreadFactory.class, calls);
    }

    /** The sleepers are virtual-threads' own ({@link BlockingTimers}), code for code. */
    @Override
    public Optional<String> timersSameAs() {
        return Optional.of(VirtualThreadsStrategy.ID);
    }

    /** Beside virtual threads, whose code it is; Dark2's teal; its server JVMs get --enable-preview. */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(35, "#1B9E77", "impl-virtualthreads").withJvmOptions("--enable-preview");
    }
}
