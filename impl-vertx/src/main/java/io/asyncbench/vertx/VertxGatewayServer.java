package io.asyncbench.vertx;

import io.asyncbench.api.Limits;
import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The gateway workload: the http verticle plus {@code GET /fanout?k=K&ms=M}, written the way
 * Vert.x users write scatter-gather: K {@code HttpClient} calls, each a {@code Future},
 * gathered with {@code Future.all} under a {@code setTimer} deadline.
 * <ul>
 *   <li><b>Same loop.</b> Each verticle instance has its own {@link HttpClient}: a /fanout
 *       request, its K calls, their pooled connections and its deadline all run on the instance's
 *       event loop.</li>
 *   <li><b>Pooling.</b> The client's pool keeps at most the loop's share of
 *       {@link Limits#maxBackendConnections()} per backend; further calls wait in its queue, in
 *       order, each for the time left until its request's deadline ({@code connectTimeout}).</li>
 *   <li><b>Gather.</b> {@code Future.all}: 200 once every call answered {@code slept M ms}; the
 *       first failure fails it, a 502 at once, as asyncio.gather does.</li>
 *   <li><b>Deadline.</b> A {@code setTimer}: when it fires first, the calls still in flight are
 *       reset (their connections closed: a late answer must not reach the next borrower), those
 *       still queued give up, and the client gets 504.</li>
 * </ul>
 */
final class VertxGatewayServer extends VertxHttpServer {

    private final List<InetSocketAddress> backends;
    private final long deadlineMillis;
    private HttpClient client;

    VertxGatewayServer(VertxServer.Shared shared) {
        super(shared);
        this.backends = shared.spec().backends();
        this.deadlineMillis = Math.max(1, shared.spec().limits().requestDeadline().toMillis());
    }

    @Override
    public Future<?> start() {
        var socket = shared().spec().socketOptions();
        Limits limits = shared().spec().limits();
        HttpClientOptions options = new HttpClientOptions()
                .setTcpNoDelay(socket.tcpNoDelay())
                .setKeepAlive(true)
                .setMaxChunkSize(limits.readBufferSize());
        if (socket.receiveBufferSize() > 0) {
            options.setReceiveBufferSize(socket.receiveBufferSize());
        }
        if (socket.sendBufferSize() > 0) {
            options.setSendBufferSize(socket.sendBufferSize());
        }
        client = vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp1MaxSize(limits.backendConnectionsPerPool(shared().spec().ioThreads())))
                .withConnectHandler(connection -> {
                    // Counted like an accepted connection; a reset at the deadline is not logged.
                    shared().connections().count(
                            ((HttpClientConnectionInternal) connection).channelHandlerContext().pipeline());
                    connection.exceptionHandler(failure -> {
                    });
                })
                .build();
        return super.start();
    }

    @Override
    VertxHttpServer.Connection.Waiting waiting() {
        return (connection, request, judged) -> new FanOut(connection, request, judged).start();
    }

    /** asyncio.wait_for(asyncio.gather(*calls), deadline): K call futures, Future.all, a timer. */
    private final class FanOut {

        private final VertxHttpServer.Connection connection;
        private final HttpServerRequest request;
        private final HttpRequest judged;
        private final Buffer expected;
        private final List<HttpClientRequest> inFlight = new ArrayList<>();
        private long deadline;
        private boolean done;

        FanOut(VertxHttpServer.Connection connection, HttpServerRequest request, HttpRequest judged) {
            this.connection = connection;
            this.request = request;
            this.judged = judged;
            this.expected = Buffer.buffer(HttpResponses.delayBody(judged.delayMs()));
        }

        Runnable start() {
            deadline = vertx.setTimer(deadlineMillis, id -> finish(HttpStatus.GATEWAY_TIMEOUT));
            String target = "/delay?ms=" + judged.delayMs();
            List<Future<Void>> calls = new ArrayList<>(judged.fanout());
            for (int i = 0; i < judged.fanout(); i++) {
                InetSocketAddress backend = backends.get(i % backends.size()); // call i to backend i mod n
                calls.add(call(backend, target));
            }
            Future.all(calls).onComplete(gathered -> finish(gathered.succeeded() ? HttpStatus.OK
                    // A call still queued for a connection at the deadline: the deadline's answer.
                    : gathered.cause() instanceof TimeoutException ? HttpStatus.GATEWAY_TIMEOUT
                    : HttpStatus.BAD_GATEWAY));
            return this::cancel;
        }

        /** One backend call: a pooled connection, GET, the body checked. */
        private Future<Void> call(InetSocketAddress backend, String target) {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setHost(backend.getAddress().getHostAddress())
                    .setPort(backend.getPort())
                    .setURI(target)
                    .setConnectTimeout(deadlineMillis); // queued for a connection: not past the deadline
            return client.request(options).compose(call -> {
                if (done) {
                    call.reset();
                    return Future.failedFuture("the request is over");
                }
                inFlight.add(call);
                return call.send()
                        .compose(response -> response.body()
                                .map(body -> response.statusCode() == 200 && body.equals(expected)))
                        .compose(expectedAnswer -> {
                            inFlight.remove(call);
                            return expectedAnswer ? Future.succeededFuture()
                                    : Future.failedFuture("the backend's answer is not the expected one");
                        });
            });
        }

        private void finish(HttpStatus status) {
            if (done) {
                return;
            }
            cancel();
            if (status == HttpStatus.OK) {
                connection.answeredOk(request, judged, ContentType.APPLICATION_JSON,
                        Buffer.buffer(HttpResponses.fanoutBody(judged.fanout(), judged.delayMs())));
            } else {
                connection.answeredError(request, judged, status);
            }
        }

        /** Over (answered, timed out, or the client left): the calls still in flight are reset. */
        private void cancel() {
            done = true;
            vertx.cancelTimer(deadline);
            for (HttpClientRequest call : inFlight) {
                call.reset();
            }
            inFlight.clear();
        }
    }
}
