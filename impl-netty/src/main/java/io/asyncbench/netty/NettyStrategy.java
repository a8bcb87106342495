package io.asyncbench.netty;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.ServerWorkload;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.Strategy;
import io.netty.channel.ChannelPipeline;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

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

    /**
     * Whether Netty may use {@code sun.misc.Unsafe} here: on JDK 24 and later Netty 4.2 leaves it
     * off unless the JVM runs with {@code --sun-misc-unsafe-memory-access=allow}, and every
     * buffer operation then takes a slower path (measured: +20-24 % CPU per request).
     */
    @Override
    public final Map<String, String> engineFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("netty.unsafe", Boolean.toString(PlatformDependent.hasUnsafe()));
        Throwable why = PlatformDependent.getUnsafeUnavailabilityCause();
        if (why != null) {
            facts.put("netty.unsafeUnavailable", String.valueOf(why.getMessage()));
        }
        facts.put("netty.directBufferNoCleaner", Boolean.toString(PlatformDependent.useDirectBufferNoCleaner()));
        return facts;
    }

    @Override
    public final Set<ServerWorkload> serverWorkloads() {
        return EnumSet.allOf(ServerWorkload.class);
    }

    @Override
    public final RunningServer start(ServerSpec spec) throws IOException {
        // Each workload is the handlers it adds between the plumbing's byte counter and error
        // handler; those that share state across connections (gateway pools) make it here, once.
        Function<NettyPlumbing, Consumer<ChannelPipeline>> workload = switch (spec.serverWorkload()) {
            case ECHO -> plumbing -> pipeline -> pipeline.addLast("echo", NettyEchoServer.INSTANCE);
            case HTTP -> NettyHttpServer::handlers;
            case GATEWAY -> NettyGatewayServer::handlers;
            case PROXY -> NettyProxyServer::handlers;
        };
        requireAvailable();
        return NettyServer.start(id, transport, spec, workload);
    }

    /** Sleeps on Netty's timing wheel; the same on either transport, which it does not use. */
    @Override
    public final Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.of(threads -> {
            requireAvailable();
            return new NettyTimers(id, threads);
        });
    }

    private void requireAvailable() {
        Availability availability = availability();
        if (!availability.available()) {
            throw new IllegalStateException(id + " is unavailable: " + availability.reason());
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
