package io.asyncbench.api;

/**
 * The workloads a strategy serves from a server it starts ({@link Strategy#start(ServerSpec)}),
 * as a type of their own: a strategy declares them in {@link Strategy#serverWorkloads()} and
 * switches over them in {@code start}, and an in-process workload ({@link Workload#TIMERS}) cannot
 * be written in either place. This is the one list of which workloads are server workloads;
 * {@link Workload#role()} reads it.
 */
public enum ServerWorkload {

    ECHO(Workload.ECHO),
    HTTP(Workload.HTTP),
    GATEWAY(Workload.GATEWAY),
    PROXY(Workload.PROXY);

    private final Workload workload;

    ServerWorkload(Workload workload) {
        this.workload = workload;
    }

    /** The workload as the command line, the benchmarks and the reports name it. */
    public Workload workload() {
        return workload;
    }

    /** The lowercase id, as {@link Workload#id()}. */
    public String id() {
        return workload.id();
    }

    /** The server workload that is {@code workload}, or null for an in-process one. */
    static ServerWorkload of(Workload workload) {
        for (ServerWorkload server : values()) {
            if (server.workload == workload) {
                return server;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return workload.id();
    }
}
