package io.asyncbench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A server on another host that {@code serve --stats-port} exposes: measured from inside its own
 * JVM, as a server this bench starts, through its stats port ({@link StatsClient}). Not ours to
 * stop, and not on this host's CPUs.
 */
public final class RemoteServerSide implements ServerSide {

    private final InetSocketAddress address;
    private final StatsClient stats;

    public RemoteServerSide(InetSocketAddress address, StatsClient stats) {
        this.address = address;
        this.stats = stats;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** No process of this host: {@code -1}. */
    @Override
    public long pid() {
        return -1;
    }

    @Override
    public boolean isAlive() {
        return stats.isOpen();
    }

    @Override
    public ServerStats stats(boolean afterGc) throws IOException {
        return stats.stats(afterGc);
    }

    @Override
    public boolean external() {
        return false;
    }

    /** Closes the stats connection; the server runs on. */
    @Override
    public void close() {
        stats.close();
    }
}
