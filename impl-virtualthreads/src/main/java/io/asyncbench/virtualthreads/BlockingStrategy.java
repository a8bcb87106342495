package io.asyncbench.virtualthreads;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.ServerWorkload;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.Strategy;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Thread-per-connection blocking code; virtual-threads and platform-threads differ only in the
 * {@link ThreadKind}, so that comparing them isolates what the kind of thread costs, and
 * virtual-threads and structured only in the gateway's {@link FanOut}, so that comparing those
 * isolates what a {@code StructuredTaskScope} costs.
 */
abstract sealed class BlockingStrategy implements Strategy
        permits VirtualThreadsStrategy, StructuredStrategy, PlatformThreadsStrategy {

    private static final Set<ServerWorkload> WORKLOADS =
            Set.of(ServerWorkload.ECHO, ServerWorkload.HTTP, ServerWorkload.GATEWAY, ServerWorkload.PROXY);

    private final String id;
    private final String description;
    private final ThreadKind kind;

    BlockingStrategy(String id, String description, ThreadKind kind) {
        this.id = id;
        this.description = description;
        this.kind = kind;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    /** Both kinds run wherever JDK 21+ runs. */
    @Override
    public Availability availability() {
        return Availability.availableHere();
    }

    @Override
    public final Set<ServerWorkload> serverWorkloads() {
        return WORKLOADS;
    }

    @Override
    public final RunningServer start(ServerSpec spec) throws IOException {
        BlockingHandler handler = switch (spec.serverWorkload()) {
            case ECHO -> new BlockingEchoServer(spec.limits());
            case HTTP -> new BlockingHttpServer(spec.limits(), kind.factory(id, "reaper"));
            case GATEWAY -> new BlockingGatewayServer(spec, fanOut(), kind.factory(id, "reaper"));
            case PROXY -> new BlockingProxyServer(spec, kind.factory(id, "relay"));
        };
        return BlockingServer.start(id, kind, spec, handler);
    }

    /** A thread of this strategy's kind per sleep; the thread budget does not apply. */
    @Override
    public final Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.of(threads -> new BlockingTimers(id, kind));
    }

    /** How the gateway runs and gathers a request's backend calls: by default, as the kind does. */
    FanOut fanOut() {
        return kind.backendCalls(id, "backend");
    }

    /** The only difference between virtual-threads and platform-threads. */
    final ThreadKind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return id;
    }
}
