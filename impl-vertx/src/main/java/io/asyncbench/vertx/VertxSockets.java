package io.asyncbench.vertx;

import io.asyncbench.api.ServerCounters;
import io.vertx.core.internal.net.NetSocketInternal;

/** What every TCP socket of a server does besides its workload: counted, its failure an error. */
final class VertxSockets {

    /**
     * Counts {@code socket} (opened now, closed later, its bytes) and its first failure (a reset,
     * a refused write) as an error, once: without an exception handler Vert.x would log it with a
     * stack trace. A failed socket is closed.
     */
    static void counted(NetSocketInternal socket, ServerCounters counters) {
        VertxByteCounter.count(socket.channelHandlerContext().pipeline(), counters);
        boolean[] failed = new boolean[1];
        socket.exceptionHandler(failure -> {
            if (!failed[0]) {
                failed[0] = true;
                counters.error();
            }
            socket.close();
        });
    }

    private VertxSockets() {
    }
}
