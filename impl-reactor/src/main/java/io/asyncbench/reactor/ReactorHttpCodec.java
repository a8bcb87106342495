package io.asyncbench.reactor;

import io.asyncbench.api.Limits;
import io.asyncbench.netty.support.NettyRequestHeaders;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The codec that replaces reactor-netty's own under its name. {@code httpRequestDecoder} sets the
 * limits but not what the spec also needs: a bare LF as a line end and headers that count their
 * Host and Content-Length fields ({@link NettyRequestHeaders#decoderConfig}); and no pipelining cap
 * in the encoder (reactor-netty queues pipelined requests itself).
 */
final class ReactorHttpCodec {

    private ReactorHttpCodec() {
    }

    static HttpServerCodec create(Limits limits) {
        return new HttpServerCodec(NettyRequestHeaders.decoderConfig(limits), Integer.MAX_VALUE);
    }
}
