package io.asyncbench.reactor;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The gateway workload: the http server plus {@code GET /fanout?k=K&ms=M}, as a Reactor team
 * writes scatter-gather: K {@code HttpClient} calls merged with {@code Mono.when} (the first
 * failure ends the gather with 502 and cancels the others, as asyncio.gather does), under
 * {@code timeout(deadline)} (504; the outstanding calls are cancelled and reactor-netty closes
 * their connections, so a late answer never reaches the next borrower).
 *
 * <p>Backend connections come from this server's own {@link ConnectionProvider} (at most
 * {@link Limits#maxBackendConnections()} per backend, further calls queued in order until their
 * deadline cancels them) and run on its own loops, colocated: a call's connection is opened on the
 * loop of the request that makes it. Nothing global: the address resolver is Netty's plain one
 * (the backends are IP addresses), never reactor-netty's shared DNS resolver, and the timeout
 * runs on the request's own loop, never on {@code Schedulers.parallel()}.
 */
final class ReactorGatewayServer {

    private final HttpClient[] backends;
    private final Duration deadline;

    private ReactorGatewayServer(HttpClient client, List<InetSocketAddress> addresses, Duration deadline) {
        this.backends = addresses.stream()
                .map(address -> client.remoteAddress(() -> address))
                .toArray(HttpClient[]::new);
        this.deadline = deadline;
    }

    static ReactorServer start(ServerSpec spec) throws IOException {
        Limits limits = spec.limits();
        ReactorLoops loops = ReactorServer.loops(spec);
        ReactorConnections connections = new ReactorConnections(spec, new io.asyncbench.api.ServerCounters());
        ConnectionProvider pool = ConnectionProvider.builder("asyncbench-reactor-gateway")
                .maxConnections(limits.maxBackendConnections())
                .pendingAcquireMaxCount(-1) // calls wait for a connection, however many; the deadline ends the wait
                .pendingAcquireTimeout(Duration.ofDays(1))
                .lifo()
                .build();
        HttpClient client = HttpClient.create(pool)
                .runOn(loops)
                .resolver(DefaultAddressResolverGroup.INSTANCE)
                .compress(false)
                .doOnChannelInit((observer, channel, remote) -> connections.outgoing(channel));
        for (var option : connections.connectionOptions(false).entrySet()) {
            client = client.option(ReactorServer.untyped(option.getKey()), option.getValue());
        }
        ReactorGatewayServer gateway = new ReactorGatewayServer(client, spec.backends(), limits.requestDeadline());
        Disposable closePool = () -> pool.disposeLater().block(ReactorLoops.CLOSE_TIMEOUT);
        return ReactorHttpServer.start(spec, loops, connections, gateway::fanOut, closePool);
    }

    /** K calls, call i to backend i mod the number of backends, gathered under the deadline. */
    Mono<ByteBuf> fanOut(int k, int ms, Scheduler onLoop) {
        String path = "/delay?ms=" + ms;
        byte[] expected = HttpResponses.delayBody(ms);
        return Mono.when(Flux.range(0, k).map(i -> call(backends[i % backends.length], path, expected)).toIterable())
                .timeout(deadline, onLoop)
                .then(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(HttpResponses.fanoutBody(k, ms))))
                .onErrorMap(TimeoutException.class, e -> new HttpException(HttpStatus.GATEWAY_TIMEOUT, "deadline"))
                .onErrorMap(e -> !(e instanceof HttpException),
                        e -> new HttpException(HttpStatus.BAD_GATEWAY, String.valueOf(e.getMessage())));
    }

    /** {@code GET /delay?ms=M} on one backend: done when it answers 200 with the expected body. */
    private static Mono<Void> call(HttpClient backend, String path, byte[] expected) {
        return backend.get().uri(path)
                .responseSingle((response, body) -> response.status().code() == 200
                        ? body.asByteArray().defaultIfEmpty(new byte[0])
                        : Mono.error(new HttpException(HttpStatus.BAD_GATEWAY, "backend answered " + response.status())))
                .flatMap(body -> Arrays.equals(body, expected) ? Mono.<Void>empty()
                        : Mono.error(new HttpException(HttpStatus.BAD_GATEWAY, "unexpected backend answer")));
    }
}
