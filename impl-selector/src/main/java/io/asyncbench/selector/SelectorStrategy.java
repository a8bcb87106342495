package io.asyncbench.selector;

import io.asyncbench.api.StrategyFacts;
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

/** The asyncio-style Selector loop: Transport/Protocol callbacks, one loop per IO thread. */
public final class SelectorStrategy implements Strategy {

    public static final String ID = "selector";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "asyncio-style event loops on java.nio Selector: ready queue, timer heap, "
                + "Transport/Protocol callbacks with flow control";
    }

    @Override
    public Availability availability() {
        return Availability.availableHere(); // plain java.nio: runs wherever the JDK does
    }

    @Override
    public Set<ServerWorkload> serverWorkloads() {
        return Set.of(ServerWorkload.ECHO, ServerWorkload.HTTP, ServerWorkload.GATEWAY,
                ServerWorkload.PROXY);
    }

    @Override
    public RunningServer start(ServerSpec spec) throws IOException {
        return switch (spec.serverWorkload()) {
            case ECHO -> SelectorServer.start(ID, spec, SelectorEchoServer::new);
            case HTTP -> SelectorServer.start(ID, spec, SelectorHttpServer.factory(spec.limits()));
            case GATEWAY -> SelectorServer.start(ID, spec, SelectorGatewayServer.factory(spec));
            case PROXY -> SelectorServer.start(ID, spec,
                    counters -> new SelectorProxyServer(spec, counters));
        };
    }

    /** Sleeps are TimerHandles on {@code threads} loops' timer heaps (asyncio's call_later). */
    @Override
    public Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.of(threads -> new SelectorTimers(ID, threads));
    }

    /** After the thread styles; Okabe-Ito reddish purple; the fastest backends after Netty's. */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(50, "#CC79A7", "impl-selector").withBackendRank(3);
    }
}
