package io.asyncbench.reactor;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.ServerWorkload;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyFacts;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import reactor.netty.resources.LoopResources;

/**
 * Project Reactor on reactor-netty, written as a WebFlux/Reactor team writes it: a
 * {@code TcpServer} or {@code HttpServer} whose handler returns a {@code Mono<Void>}, bodies as
 * {@code Flux<ByteBuf>}, sleeps as {@code Mono.delay}, fan-out as {@code Flux.merge} with
 * {@code timeout}. Nothing global: every server owns its {@code LoopResources},
 * connection pool and schedulers, and {@link RunningServer#close()} disposes them.
 */
public final class ReactorStrategy implements Strategy {

    static final String ID = "reactor";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Project Reactor Flux/Mono pipelines on reactor-netty 1.3 (HttpServer, TcpServer, HttpClient)";
    }

    @Override
    public Availability availability() {
        return Availability.availableHere();
    }

    /** Red, after Netty: the most widely used reactive stack on Netty, never a backend. */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(80, "#B2182B", "impl-reactor");
    }

    /**
     * reactor-netty runs on the native transport when it can (epoll on Linux, as {@code
     * runOn(loops)} prefers it), else on NIO; and Netty's Unsafe, as for netty-nio.
     */
    @Override
    public Map<String, String> engineFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("reactor.transport", LoopResources.hasNativeSupport() ? "native" : "nio");
        facts.put("netty.unsafe", Boolean.toString(PlatformDependent.hasUnsafe()));
        return facts;
    }

    @Override
    public Set<ServerWorkload> serverWorkloads() {
        return EnumSet.allOf(ServerWorkload.class);
    }

    @Override
    public RunningServer start(ServerSpec spec) throws IOException {
        return switch (spec.serverWorkload()) {
            case ECHO -> ReactorEchoServer.start(spec);
            case HTTP -> ReactorHttpServer.start(spec);
            case GATEWAY -> ReactorGatewayServer.start(spec);
            case PROXY -> ReactorProxyServer.start(spec);
        };
    }

    @Override
    public Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.of(threads -> new ReactorTimers(ID, threads));
    }

    @Override
    public String toString() {
        return ID;
    }
}
