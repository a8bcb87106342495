package io.asyncbench.futures;

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

/**
 * CompletableFuture composition: NIO.2 asynchronous channels adapted once to futures, and each
 * connection written as a loop of {@code thenCompose} steps.
 */
public final class FuturesStrategy implements Strategy {

    static final String ID = "futures";

    /** Does nothing: threads exist only between {@link #start} and {@link RunningServer#close()}. */
    public FuturesStrategy() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "CompletableFuture thenCompose chains over NIO.2 asynchronous channels";
    }

    @Override
    public Availability availability() {
        return Availability.availableHere();
    }

    @Override
    public Set<ServerWorkload> serverWorkloads() {
        return Set.of(ServerWorkload.ECHO, ServerWorkload.HTTP, ServerWorkload.GATEWAY,
                ServerWorkload.PROXY);
    }

    @Override
    public RunningServer start(ServerSpec spec) throws IOException {
        return switch (spec.serverWorkload()) {
            case ECHO -> FuturesEchoServer.start(spec);
            case HTTP -> FuturesHttpServer.start(spec);
            case GATEWAY -> FuturesGatewayServer.start(spec);
            case PROXY -> FuturesProxyServer.start(spec);
        };
    }

    /** Sleeps are delayed futures; wake-ups run on {@code threads} threads. */
    @Override
    public Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.of(FuturesTimers::new);
    }

    /** After callbacks, whose channels it composes; Okabe-Ito vermilion, the hue of callbacks. */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(20, "#D55E00", "impl-futures").withBackendRank(5);
    }
}
