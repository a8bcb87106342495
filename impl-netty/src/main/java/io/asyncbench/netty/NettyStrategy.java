package io.asyncbench.netty;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.UnsupportedWorkloadException;
import io.asyncbench.api.Workload;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Netty as a strategy: the same bootstrap and the same handlers on either transport. The two
 * registered strategies differ only in the {@link NettyTransport} they pass here.
 */
abstract class NettyStrategy implements Strategy {

    private final String id;
    private final NettyTransport transport;
    private final String description;

    NettyStrategy(String id, NettyTransport transport, String description) {
        this.id = id;
        this.transport = transport;
        this.description = description;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Availability availability() {
        return transport.availability();
    }

    @Override
    public final Set<Workload> serverWorkloads() {
        return EnumSet.of(Workload.ECHO);
    }

    @Override
    public final RunningServer start(ServerSpec spec) throws IOException {
        // Each workload is the handlers it adds between NettyServer's byte counter and error handler.
        Consumer<ChannelPipeline> workload = switch (spec.workload()) {
            case ECHO -> pipeline -> pipeline.addLast("echo", NettyEchoServer.INSTANCE);
            default -> throw new UnsupportedWorkloadException(this, spec.workload());
        };
        Availability availability = availability();
        if (!availability.available()) {
            throw new IllegalStateException(id + " is unavailable: " + availability.reason());
        }
        return NettyServer.start(id, transport, spec, workload);
    }

    @Override
    public String toString() {
        return id;
    }
}
