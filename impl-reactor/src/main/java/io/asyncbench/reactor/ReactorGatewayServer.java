package io.asyncbench.reactor;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;
import reactor.core.Disposables;
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
 * <p>Each event loop has its own {@link ConnectionProvider} (its share of
 * {@link Limits#maxBackendConnections()} per backend, further calls queued in order until their
 * deadline cancels them), as the spec splits the cap. One provider shared by all loops would
 * lend a call a connection of another loop: the call then hops to that loop and its answer hops
 * back. With a pool per loop and colocated client loops, a request, its calls and their
 * connections stay on one thread. Nothing global: the address resolver is Netty's plain one
 * (the backends are IP addresses), never reactor-netty's shared DNS resolver, and the timeout
 * runs on the request's own loop, never on {@code Schedulers.parallel()}.
 */
final class ReactorGatewayServer {

    /** Per event loop: its client for each backend, all on that loop's pool. */
    private final Map<EventExecutor, HttpClient[]> backendsOnLoop;
    private final Duration deadline;

    private ReactorGatewayServer(Map<EventExecutor, HttpClient[]> backendsOnLoop, Duration deadline) {
        this.backendsOnLoop = backendsOnLoop;
        this.deadline = deadline;
    }

    static ReactorServer start(ServerSpec spec) throws IOException {
        Limits limits = spec.limits();
        ReactorLoops loops = ReactorServer.loops(spec);
        ReactorConnections connections = new ReactorConnections(spec, new ServerCounters());
        Map<EventExecutor, HttpClient[]> backendsOnLoop = new HashMap<>();
        List<Disposable> pools = new ArrayList<>();
        int loopNumber = 0;
        for (EventExecutor loop : loops.group()) {
            ConnectionProvider pool = ConnectionProvider.builder("asyncbench-reactor-gateway-" + loopNumber++)
                    .maxConnections(limits.backendConnectionsPerPool(spec.ioThreads()))
                    .pendingAcquireMaxCount(-1) // calls wait for a connection, however many; the deadline ends the wait
                    // No timeout of the pool's own: a non-zero one is a task on the global
                    // Schedulers.parallel() (threads beyond the budget) for every call that waits.
                    .pendingAcquireTimeout(Duration.ZERO)
                    .lifo()
                    .build();
            pools.add(() -> pool.disposeLater().block(ReactorLoops.CLOSE_TIMEOUT));
            backendsOnLoop.put(loop, backends(client(pool, loops, connections), spec.backends()));
        }
        ReactorGatewayServer gateway = new ReactorGatewayServer(backendsOnLoop, limits.requestDeadline());
        return ReactorHttpServer.start(spec, loops, connections, gateway::fanOut, Disposables.composite(pools));
    }

    /** A client on {@code pool}; its connections open on the loop that asks (the loops' client side is colocated). */
    private static HttpClient client(ConnectionProvider pool, ReactorLoops loops, ReactorConnections connections) {
        HttpClient client = HttpClient.create(pool)
                .runOn(loops)
                .resolver(DefaultAddressResolverGroup.INSTANCE)
                .compress(false)
                .doOnChannelInit((observer, channel, remote) -> connections.outgoing(channel));
        for (var option : connections.connectionOptions(false).entrySet()) {
            client = client.option(ReactorServer.untyped(option.getKey()), option.getValue());
        }
        return client;
    }

    private static HttpClient[] backends(HttpClient client, List<InetSocketAddress> addresses) {
        return addresses.stream().map(address -> client.remoteAddress(() -> address)).toArray(HttpClient[]::new);
    }

    /** K calls, call i to backend i mod the number of backends, gathered under the deadline. */
    Mono<ByteBuf> fanOut(int k, int ms, EventExecutor loop, Scheduler onLoop) {
        HttpClient[] backends = backendsOnLoop.get(loop);
        String path = "/delay?ms=" + ms;
        ByteBuf expected = Unpooled.wrappedBuffer(HttpResponses.delayBody(ms));
        List<Mono<Void>> calls = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            calls.add(call(backends[i % backends.length], path, expected));
        }
        return Mono.when(calls)
                .timeout(deadline, onLoop)
                .then(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(HttpResponses.fanoutBody(k, ms))))
                .onErrorMap(TimeoutException.class, e -> new HttpException(HttpStatus.GATEWAY_TIMEOUT, "deadline"))
                .onErrorMap(e -> !(e instanceof HttpException),
                        e -> new HttpException(HttpStatus.BAD_GATEWAY, String.valueOf(e.getMessage())));
    }

    /** {@code GET /delay?ms=M} on one backend: done when it answers 200 with the expected body. */
    private static Mono<Void> call(HttpClient backend, String path, ByteBuf expected) {
        return backend.get().uri(path)
                .responseSingle((response, body) -> response.status().code() != 200
                        ? Mono.error(new HttpException(HttpStatus.BAD_GATEWAY, "backend answered " + response.status()))
                        : body.defaultIfEmpty(Unpooled.EMPTY_BUFFER)
                                // read in place: responseSingle releases the aggregated body afterwards
                                .flatMap(bytes -> ByteBufUtil.equals(bytes, expected) ? Mono.<Void>empty()
                                        : Mono.error(new HttpException(HttpStatus.BAD_GATEWAY, "unexpected backend answer"))));
    }
}
