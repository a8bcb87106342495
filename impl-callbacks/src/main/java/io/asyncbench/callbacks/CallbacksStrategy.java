package io.asyncbench.callbacks;

import io.asyncbench.api.StrategyFacts;
import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.UnsupportedWorkloadException;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.util.Set;

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
    public Set<Workload> serverWorkloads() {
        return Set.of(Workload.ECHO, Workload.HTTP, Workload.TIMERS, Workload.GATEWAY, Workload.PROXY);
    }

    @Override
    public RunningServer start(ServerSpec spec) throws IOException {
        return switch (spec.workload()) {
            case ECHO -> CallbacksEchoServer.start(spec);
            case HTTP -> CallbacksHttpServer.start(spec);
            case GATEWAY -> CallbacksGatewayServer.start(spec);
            case PROXY -> CallbacksProxyServer.start(spec);
            default -> throw new UnsupportedWorkloadException(this, spec.workload());
        };
    }

    @Override
    public TimerFanOut timers(int threads) {
        return new CallbacksTimers(threads);
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
