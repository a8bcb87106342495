package io.asyncbench.reactor;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.io.IOException;
import reactor.core.publisher.Mono;
import reactor.netty.FutureMono;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * The proxy workload as a {@code TcpServer} handler: connect a {@code TcpClient} to the backend,
 * then two pipes, each the inbound {@code Flux<ByteBuf>} of one side sent to the other, joined
 * with {@code Mono.when}.
 * <ul>
 *   <li><b>Backpressure.</b> One write in flight per direction, as for echo
 *       ({@link ReactorEchoServer} says why not {@code send}): a slow reader on one side slows
 *       reading on the other, at most a read buffer or two held per direction.</li>
 *   <li><b>Half-close.</b> A side's FIN ends its pipe ({@link ReactorConnections#END_OF_INPUT})
 *       once everything before it is written, then shuts the other side's output; both
 *       connections close when both pipes are done.</li>
 *   <li><b>Failures.</b> A refused backend closes the client, counted as its error; a reset on
 *       either side fails its pipe, which cancels the other, and both connections close.</li>
 * </ul>
 * The backend connection is new (no pool: one per client, as the workload asks), on the client
 * connection's own loop (the loops' client side is colocated), with the spec's options.
 */
final class ReactorProxyServer {

    private final TcpClient backend;
    private final ServerCounters counters;

    private ReactorProxyServer(TcpClient backend, ServerCounters counters) {
        this.backend = backend;
        this.counters = counters;
    }

    static ReactorServer start(ServerSpec spec) throws IOException {
        ReactorLoops loops = ReactorServer.loops(spec);
        ReactorConnections connections = new ReactorConnections(spec, new ServerCounters());
        TcpClient client = TcpClient.newConnection()
                .runOn(loops)
                .remoteAddress(() -> spec.backends().get(0))
                .resolver(DefaultAddressResolverGroup.INSTANCE)
                .doOnChannelInit((observer, channel, remote) -> connections.outgoing(channel));
        for (var option : connections.connectionOptions(true).entrySet()) {
            client = client.option(ReactorServer.untyped(option.getKey()), option.getValue());
        }
        ReactorProxyServer proxy = new ReactorProxyServer(client, connections.counters());
        return ReactorServer.bind(TcpServer.create().handle(proxy::relay), loops, connections, true);
    }

    private Mono<Void> relay(NettyInbound in, NettyOutbound out) {
        Channel[] front = new Channel[1];
        in.withConnection(connection -> front[0] = connection.channel());
        return backend.connect()
                .flatMap(back -> Mono.when(
                                pipe(in, back.outbound(), back.channel()),
                                pipe(back.inbound(), out, front[0]))
                        .doFinally(signal -> back.dispose()))
                .onErrorResume(failure -> {
                    ReactorConnections.ErrorCounter.count(front[0], failure, counters);
                    return Mono.empty(); // reactor-netty closes the client connection
                });
    }

    /** Everything {@code from} reads, written to {@code to} one buffer at a time; at its FIN, FIN. */
    private static Mono<Void> pipe(NettyInbound from, NettyOutbound to, Channel toChannel) {
        return from.receiveObject()
                .takeWhile(ByteBuf.class::isInstance)
                .map(bytes -> ((ByteBuf) bytes).retain())
                .concatMap(to::sendObject, 1)
                .doOnDiscard(ByteBuf.class, ByteBuf::release)
                .then(Mono.defer(() -> toChannel instanceof DuplexChannel duplex && toChannel.isActive()
                        ? FutureMono.from(duplex.shutdownOutput()) : Mono.empty()));
    }
}
