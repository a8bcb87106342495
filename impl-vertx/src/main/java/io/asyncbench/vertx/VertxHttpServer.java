package io.asyncbench.vertx;

import io.asyncbench.api.Limits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The http workload as a verticle: an {@link HttpServer} (Vert.x's HTTP/1.1 on Netty's codec)
 * whose connections are {@link VertxHttpConnection}s. The options carry the spec's limits where
 * Vert.x has one: the request line and header sizes, body pieces of at most one read buffer, no
 * automatic {@code 100 Continue} (it is sent only for a request that will be taken), no
 * compression, no HTTP/2 upgrade, no WebSocket extensions. The idle timeout and the head deadline are the connection's
 * own clock (Vert.x's idle timeout would close a connection waiting for its answer).
 */
class VertxHttpServer extends VerticleBase implements VertxServer.Listening {

    private final VertxServer.Shared shared;
    private HttpServer server;

    VertxHttpServer(VertxServer.Shared shared) {
        this.shared = shared;
    }

    /** The server's options for the spec's limits and socket options. */
    static HttpServerOptions options(VertxServer.Shared shared) {
        Limits limits = shared.spec().limits();
        return shared.apply(new HttpServerOptions())
                .setMaxInitialLineLength(limits.maxHeaderBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(limits.readBufferSize())
                .setHandle100ContinueAutomatically(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setHttp2ClearTextEnabled(false)
                // No WebSocket extensions: their handler caps pipelining at 128 requests in flight.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
    }

    VertxServer.Shared shared() {
        return shared;
    }

    /** Starts waiting requests (/fanout): none here, the gateway's. */
    VertxHttpConnection.Waiting waiting() {
        return null;
    }

    @Override
    public Future<?> start() {
        VertxHttpConnection.Waiting waiting = waiting();
        Limits limits = shared.spec().limits();
        server = vertx.createHttpServer(options(shared))
                .connectionHandler(connection -> VertxHttpConnection.install(connection, vertx,
                        shared.connections(), limits, waiting))
                // Each connection replaces this with its own (see VertxHttpConnection).
                .requestHandler(request -> request.connection().close());
        return server.listen(shared.port(), shared.host());
    }

    @Override
    public int actualPort() {
        return server.actualPort();
    }
}
