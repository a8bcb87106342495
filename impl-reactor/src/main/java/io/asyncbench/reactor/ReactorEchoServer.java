package io.asyncbench.reactor;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import reactor.core.publisher.Mono;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.tcp.TcpServer;

/**
 * The echo workload as a reactor-netty {@code TcpServer} handler: the inbound {@code Flux<ByteBuf>}
 * is the outbound one.
 *
 * <p>Why {@code concatMap(sendObject)} and not the one-liner {@code out.send(in.receive().retain())}:
 * {@code send} prefetches 128 buffers from the inbound and writes them whether or not the channel
 * is writable (it only flushes sooner), so a client that never reads makes the server hold up to
 * 128 reads of its bytes (2 MiB at 16 KiB a read), far above the spec's bound of a read buffer
 * plus the write high-water mark. With one write in flight at a time, the next read is asked for
 * only once the socket took the last one: the socket's own pace is the backpressure.
 */
final class ReactorEchoServer {

    static ReactorServer start(ServerSpec spec) throws IOException {
        ReactorConnections connections = new ReactorConnections(spec, new ServerCounters());
        TcpServer server = TcpServer.create().handle(ReactorEchoServer::echo);
        return ReactorServer.bind(server, ReactorServer.loops(spec), connections, true);
    }

    /** Every byte back, in order; done (and closed) once the peer's FIN and all before it are echoed. */
    static Mono<Void> echo(NettyInbound in, NettyOutbound out) {
        return in.receiveObject()
                .takeWhile(ByteBuf.class::isInstance)
                .map(bytes -> ((ByteBuf) bytes).retain()) // receive() releases each once it was emitted
                .concatMap(out::sendObject, 1)
                .doOnDiscard(ByteBuf.class, ByteBuf::release)
                .then();
    }

    private ReactorEchoServer() {
    }
}
