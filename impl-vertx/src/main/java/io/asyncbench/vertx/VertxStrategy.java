package io.asyncbench.vertx;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.ServerWorkload;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyFacts;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Vert.x 5 as a strategy: each server is one Vert.x instance with the spec's thread budget as its
 * event loops, and the workload's verticle deployed once per loop; everything runs on the event
 * loops, as callbacks and {@code Future}s ({@code Future.all}, {@code setTimer}, {@code pipeTo}).
 */
public final class VertxStrategy implements Strategy {

    public static final String ID = "vertx";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Vert.x 5 verticles on its event loops: NetServer/HttpServer/HttpClient, Future.all, setTimer";
    }

    @Override
    public Availability availability() {
        return Availability.availableHere();
    }

    @Override
    public Set<ServerWorkload> serverWorkloads() {
        return EnumSet.allOf(ServerWorkload.class);
    }

    @Override
    public RunningServer start(ServerSpec spec) throws IOException {
        Function<VertxServer.Shared, VertxServer.Listening> verticle = switch (spec.serverWorkload()) {
            case ECHO -> VertxEchoServer::new;
            case HTTP -> VertxHttpServer::new;
            case GATEWAY -> VertxGatewayServer::new;
            case PROXY -> VertxProxyServer::new;
        };
        return VertxServer.start(ID, spec, verticle);
    }

    @Override
    public Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.of(threads -> new VertxTimers(ID, threads));
    }

    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(90, "#7B3294", "impl-vertx");
    }

    @Override
    public String toString() {
        return ID;
    }
}
