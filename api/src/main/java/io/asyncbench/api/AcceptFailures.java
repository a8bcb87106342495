package io.asyncbench.api;

import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports a server's failed accepts in one line at most once a second, with the number of
 * failures it kept quiet about since the last line. A server out of file descriptors fails every
 * accept it tries (EMFILE); a line per failure was 39,000 stack traces a second.
 *
 * <p>The rule every strategy follows when an accept fails (see the package documentation):
 * report it here, back off before the next accept, and go on; no failure, an {@link Error}
 * included where it can be survived, ends an IO thread or closes the listener. How long to back
 * off is the style's own (Netty's and asyncio's servers wait a second, a thread blocked in
 * {@code accept()} 10 ms); serving resumes at most that long after descriptors are free again.
 *
 * <p>Creating one loads what logging needs ({@link #loadLoggingNow()}), so that the first report,
 * written while no descriptor is free, does not have to open a file. Thread-safe and lock-free;
 * {@link #failed} never throws.
 */
public final class AcceptFailures {

    /** At most one line per this interval. */
    public static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final System.Logger LOG = System.getLogger(AcceptFailures.class.getName());

    static {
        loadLoggingNow();
    }

    private final String where;
    private final LongSupplier clock;
    private final Consumer<String> report;
    /** The time from which the next failure is reported rather than counted. */
    private final AtomicLong nextReport;
    private final AtomicLong suppressed = new AtomicLong();

    /** Reports the failed accepts of the listener at {@code where} (e.g. its address) as warnings. */
    public AcceptFailures(Object where) {
        this(where, System::nanoTime, AcceptFailures::warn);
    }

    /** With its own clock (nanoseconds) and where lines go: for tests. */
    AcceptFailures(Object where, LongSupplier clock, Consumer<String> report) {
        this.where = String.valueOf(where);
        this.clock = clock;
        this.report = report;
        this.nextReport = new AtomicLong(clock.getAsLong());
    }

    /**
     * One accept failed: writes a line if none was written in the last second, else counts it.
     * Never throws, not even when logging itself fails (then there is nobody left to tell).
     */
    public void failed(Throwable failure) {
        long now = clock.getAsLong();
        long due = nextReport.get();
        if (now - due < 0 || !nextReport.compareAndSet(due, now + REPORT_INTERVAL_NANOS)) {
            suppressed.incrementAndGet();
            return;
        }
        long quiet = suppressed.getAndSet(0);
        try {
            report.accept("accept failed on " + where + ": " + failure
                    + (quiet > 0 ? " (and " + quiet + " more in the last second, not shown)" : "")
                    + "; backing off, the listener stays open");
        } catch (RuntimeException | LinkageError loggingBroken) {
            // Nothing to do: the server goes on serving whether or not this line was written.
        }
    }

    /** Failures counted and not yet reported: for tests. */
    long suppressed() {
        return suppressed.get();
    }

    /**
     * Loads, now, what writing a log line needs: the logger itself and the time-zone rules its
     * formatter stamps records with. Loading those lazily opens {@code lib/tzdb.dat}, which fails
     * when no descriptor is free; the JDK then marks the class unusable ({@code
     * NoClassDefFoundError: ZoneInfoFile}) for the rest of the process, and every later log line
     * throws. Idempotent and cheap after the first call; a server process calls it at start.
     */
    public static void loadLoggingNow() {
        ZoneId.systemDefault().getRules();
        LOG.isLoggable(System.Logger.Level.WARNING);
    }

    private static void warn(String line) {
        LOG.log(System.Logger.Level.WARNING, line);
    }
}
