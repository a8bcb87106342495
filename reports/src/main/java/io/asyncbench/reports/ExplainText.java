package io.asyncbench.reports;

/** The words and number formats "Where the time goes" uses in both index.html and report.md. */
final class ExplainText {

    static final String INTRO = "Why the strategies cost what they cost, from one measured iteration of each http"
            + " and echo throughput benchmark (the last of each JMH fork, run --explain; the files are in the results"
            + " folder's explain/). Self time: the share of JFR's samples, taken in the server JVM, in which"
            + " the method was on top of the stack. On JDK 25 and later they are CPU-time samples (each thread"
            + " sampled every so much of the CPU it uses), so the time a system call takes in the kernel counts"
            + " against the native method that made it (a read0, write0 or epoll wait). On older JDKs they are"
            + " execution samples, which JFR takes of threads running Java code only, so time in the kernel is"
            + " not in them. The JIT's and the GC's threads are in neither. Allocated: JFR's allocation samples,"
            + " each weighted by the bytes it stands for, charged to the first frame outside the JDK and the class allocated (sampled alloc/op"
            + " is their sum over the operations: an estimate beside the measured server alloc/op). System calls"
            + " and context switches per operation: the kernel's counts for the server's threads over the same"
            + " window (/proc/<pid>/task/*/io and status; read and readv count as reads, write and writev as"
            + " writes; recv, send and sendmsg are not counted there, and a server that reads with recv shows"
            + " \"not counted\"; a voluntary switch is a thread that blocked,"
            + " an involuntary one a thread preempted). JFR's own threads and the server's control channel (which"
            + " answers the stats that bound the window) are left out of both. JFR's own cost is in the"
            + " recorded iteration only. The sampling settings are under Environment, parameter explain.";

    private ExplainText() {
    }

    /** A count per operation: "3.02", "—" when unknown. */
    static String count(double perOperation) {
        return Double.isFinite(perOperation) ? Fmt.num(perOperation) : "—";
    }

    /** What a system-call cell says when the kernel's counts do not see the server's reads. */
    static final String NOT_COUNTED = "not counted";

    /** The line under a strategy whose reads the kernel did not count. */
    static final String NOT_COUNTED_WHY = "Almost no read(2) or readv(2) was counted while the server answered"
            + " (fewer than one per 100 operations): it reads with recv(2) and writes single buffers with send(2),"
            + " which /proc/<pid>/io does not count, so its system calls per operation are not known (its context"
            + " switches are).";

    /** A system call count per operation, or {@link #NOT_COUNTED}. */
    static String syscalls(ExplainSection.PerOperation p, double perOperation) {
        return p.syscallsNotCounted() ? NOT_COUNTED : count(perOperation);
    }

    /** Bytes per operation: "1.2 KiB", "—" when unknown. */
    static String bytes(double perOperation) {
        return Double.isFinite(perOperation) ? Fmt.bytes(perOperation) : "—";
    }

    /** "SelectorEventLoop.runOnce (12 %)": the method with the most self time, or "—". */
    static String hottest(ExplainSection.Row r) {
        if (r.hotspots() == null || r.hotspots().samples() == 0) {
            return "—";
        }
        Hotspots.Method top = r.hotspots().topMethods(1).get(0);
        return top.shortMethod() + " (" + Fmt.percent(top.share()) + ")";
    }

    /** The line that opens a strategy's folded details: its figures at a glance, or why there are none. */
    static String summary(ExplainSection.Row r) {
        StringBuilder s = new StringBuilder();
        Hotspots h = r.hotspots();
        if (h != null) {
            s.append(String.format(java.util.Locale.US, "%,d %s%s, %s allocated per operation", h.samples(),
                    h.samples() == 1 ? h.sampleKind().replaceAll("s$", "") : h.sampleKind(), h.samples() < ExplainSection.FEW_SAMPLES ? " (few: the shares are rough)" : "",
                    bytes(r.perOperation().allocatedBytes())));
        } else if (ExplainSection.EXTERNAL.equals(r.kind())) {
            s.append("a server outside the JVM: no JFR recording");
        } else {
            s.append("no recording could be read");
        }
        if (Double.isFinite(r.perOperation().readSyscalls()) && !r.perOperation().syscallsNotCounted()) {
            s.append("; ").append(count(r.perOperation().readSyscalls())).append(" read and ")
                    .append(count(r.perOperation().writeSyscalls())).append(" write system calls per operation");
        }
        return s.toString();
    }
}
