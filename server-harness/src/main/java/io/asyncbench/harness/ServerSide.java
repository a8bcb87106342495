package io.asyncbench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A server process the bench started and can measure: a strategy's own JVM
 * ({@link ServerProcess}, which answers {@code stats} itself) or an external server
 * ({@link ExternalServerSide}, measured from {@code /proc/<pid>}).
 */
public interface ServerSide extends AutoCloseable {

    InetSocketAddress address();

    /** The operating system's id of the process. */
    long pid();

    /** True while the process runs. */
    boolean isAlive();

    /** The process's figures now; with {@code afterGc}, after a full GC where there is one. */
    ServerStats stats(boolean afterGc) throws IOException;

    default ServerStats stats() throws IOException {
        return stats(false);
    }

    /** True when the figures come from outside the process (no allocation, JIT, GC or counters of its own). */
    boolean external();

    @Override
    void close();
}
