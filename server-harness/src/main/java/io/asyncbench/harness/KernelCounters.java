package io.asyncbench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the kernel counted for one process, summed over its threads from
 * {@code /proc/<pid>/task/<tid>/}: read- and write-family system calls ({@code io}: {@code syscr},
 * {@code syscw}, which count read, readv, pread, write, writev, pwrite and sendfile, but not recv,
 * send, recvmsg or sendmsg) and context switches ({@code status}: {@code voluntary_ctxt_switches},
 * a thread that blocked; {@code nonvoluntary_ctxt_switches}, one that was preempted).
 *
 * <p>JFR's own threads (named {@code JFR ...}) and the server's control channel
 * ({@link FlightRecording#CONTROL_THREAD}, which answers the stats that bound the window) are left
 * out: during an explained window JFR's sampler wakes every millisecond and its recorder writes the
 * recording, none of which is the server's work. A thread that ends between two readings takes its counts with it; the servers' threads
 * live as long as their connections, which outlive a measured iteration.
 *
 * @param atNanos {@link System#nanoTime()} halfway through the reading (it walks every thread)
 */
public record KernelCounters(long readSyscalls, long writeSyscalls, long voluntarySwitches,
                             long involuntarySwitches, int threads, long atNanos) {

    /** Threads whose name starts so are not counted (JFR's sampler, recorder and periodic tasks). */
    static final String LEFT_OUT_PREFIX = "JFR ";
    /** The control channel's thread, as the kernel names it (15 characters at most). */
    static final String CONTROL = FlightRecording.CONTROL_THREAD.substring(0, 15);

    /** The counters of process {@code pid} now. */
    public static KernelCounters read(long pid) throws IOException {
        return read(Path.of("/proc", Long.toString(pid), "task"));
    }

    /** The counters summed over the thread folders in {@code tasks} (a {@code /proc/<pid>/task}). */
    static KernelCounters read(Path tasks) throws IOException {
        long start = System.nanoTime();
        long reads = 0;
        long writes = 0;
        long voluntary = 0;
        long involuntary = 0;
        int threads = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                String io;
                String status;
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith(LEFT_OUT_PREFIX) || name.equals(CONTROL)) {
                        continue;
                    }
                    io = Files.readString(task.resolve("io"));
                    status = Files.readString(task.resolve("status"));
                } catch (NoSuchFileException ended) {
                    continue; // the thread ended while we walked
                }
                reads += field(io, "syscr", task.resolve("io"));
                writes += field(io, "syscw", task.resolve("io"));
                voluntary += field(status, "voluntary_ctxt_switches", task.resolve("status"));
                involuntary += field(status, "nonvoluntary_ctxt_switches", task.resolve("status"));
                threads++;
            }
        }
        return new KernelCounters(reads, writes, voluntary, involuntary, threads, (start + System.nanoTime()) / 2);
    }

    /** The counts from {@code earlier} to this reading. */
    public KernelCounters minus(KernelCounters earlier) {
        return new KernelCounters(readSyscalls - earlier.readSyscalls, writeSyscalls - earlier.writeSyscalls,
                voluntarySwitches - earlier.voluntarySwitches, involuntarySwitches - earlier.involuntarySwitches,
                threads, atNanos - earlier.atNanos);
    }

    /** The number after {@code key:} in a /proc key-value text. */
    static long field(String text, String key, Path where) throws IOException {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                try {
                    return Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException bad) {
                    throw new IOException(where + ": '" + key + "' is not a number: " + line);
                }
            }
        }
        throw new IOException(where + ": no '" + key + "' line");
    }
}
