package io.asyncbench.callbacks;

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
 * NIO.2 in the proactor style: the channel group performs the IO and calls a
 * {@link java.nio.channels.CompletionHandler} when it is done; each connection is a chain of
 * handlers that start the next operation.
 */
public final class CallbacksStrategy implements Strategy {

    static final String ID = "callbacks";

    /** Does nothing: threads exist only between {@link #start} and {@link RunningServer#close()}. */
    public CallbacksStrategy() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "NIO.2 proactor: CompletionHandler chains on AsynchronousSocketChannel";
    }

    @Override
    public Availability availability() {
        return Availability.availableHere();
    }

    @Override
    public Set<ServerWorkload> serverWorkloads() {
        return Set.of(ServerWorkload.ECHO, ServerWorkload.HTTP, ServerWorkload.GATEWAY, ServerWorkload.PROXY);
    }

    @Override
    public RunningServer start(ServerSpec spec) throws IOException {
        return switch (spec.serverWorkload()) {
            case ECHO -> CallbacksEchoServer.start(spec);
            case HTTP -> CallbacksHttpServer.start(spec);
            case GATEWAY -> CallbacksGatewayServer.start(spec);
            case PROXY -> CallbacksProxyServer.start(spec);
        };
    }

    @Override
    public Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.of(CallbacksTimers::new);
    }

    /**
     * First in every list (the least machinery between the code and the channel), Okabe-Ito orange;
     * a backend after the event loops.
     */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(10, "#E69F00", "impl-callbacks").withBackendRank(4);
    }
}
