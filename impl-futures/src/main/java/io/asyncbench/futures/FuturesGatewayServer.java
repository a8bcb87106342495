package io.asyncbench.futures;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponseParser;
import io.asyncbench.api.http.HttpResponseParser.Response;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scatter-gather with a deadline as composed futures: {@code /fanout?k=K&ms=M} starts K backend
 * calls, each a future, and answers once {@link FuturesGather#all} of them has completed, or
 * {@code orTimeout} fails it first (asyncio.wait_for). It is the http server otherwise.
 *
 * <ul>
 *   <li><b>Cancellation closes.</b> {@code CompletableFuture.cancel} only completes a future; the
 *       IO behind it goes on. So a call's future is wired to its connection: however the call ends
 *       (answered, failed, cancelled at the deadline or because a sibling failed), that decides
 *       the connection's fate: back to the pool only when answered, closed otherwise, and
 *       counted as an error only when it failed, not when cancelled.</li>
 *   <li><b>Pooling.</b> One pool of idle keep-alive connections per backend, a lock-free deque
 *       (LIFO, so the warmest connection is reused). A pooled connection keeps a read pending:
 *       if it completes while the connection is idle the backend has closed it (its own idle
 *       timeout), and it leaves the pool at once instead of failing the next call; otherwise that
 *       same read future receives the next answer. The pool holds what the busiest moment
 *       needed, until the backends' idle timeout closes what is not used again.</li>
 *   <li><b>A cap.</b> A pool opens at most {@code Limits.maxBackendConnections}. A call finding
 *       none idle and no room gets a future that the pool completes, first come first served,
 *       with a connection coming back, or a new one when one closes; cancelling the call at the
 *       deadline cancels that future, and the pool passes over it.</li>
 *   <li><b>Threads.</b> Calls run on the channel group like the client connections. The deadline
 *       fires on the JDK's delay thread, so the failure path hops back to the loop to close
 *       connections and write the 504 there; {@code exceptionallyAsync} hops only when there is
 *       a failure, so the success path stays on the thread that read the last answer.</li>
 * </ul>
 */
final class FuturesGatewayServer {

    private final FuturesServer server;
    private final Limits limits;
    private final List<Pool> pools;

    private FuturesGatewayServer(FuturesServer server, ServerSpec spec) {
        this.server = server;
        this.limits = spec.limits();
        this.pools = spec.backends().stream()
                .map(backend -> new Pool(backend, spec.limits().maxBackendConnections())).toList();
    }

    static RunningServer start(ServerSpec spec) throws IOException {
        return FuturesServer.start(spec, server -> {
            FuturesGatewayServer gateway = new FuturesGatewayServer(server, spec);
            return FuturesHttpServer.sessions(server, spec.limits(), request ->
                    request.endpoint() == Endpoint.FANOUT
                            ? gateway.fanout(request)
                            : FuturesHttpServer.delay(request, server.loop()));
        });
    }

    /** K concurrent calls, call i to backend i % size; gathered, or 502 / 504. */
    private CompletableFuture<HttpResponse> fanout(HttpRequest request) {
        byte[] call = HttpResponses.backendRequest(request.delayMs());
        byte[] expected = HttpResponses.delayBody(request.delayMs());
        CompletableFuture<?>[] calls = new CompletableFuture<?>[request.fanout()];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = pools.get(i % pools.size()).call(call, expected);
        }
        return FuturesGather.all(calls)
                .orTimeout(limits.requestDeadline().toNanos(), TimeUnit.NANOSECONDS)
                .thenApply(gathered -> HttpResponses.fanout(request))
                .exceptionallyAsync(failure -> {
                    // Last first: calls still queued for a connection leave before any connection
                    // closes, so the room it makes goes to another request, not to this one.
                    for (int i = calls.length - 1; i >= 0; i--) {
                        calls[i].cancel(false); // closes its connection; a no-op if it is done
                    }
                    HttpStatus status = FuturesLoop.unwrap(failure) instanceof TimeoutException
                            ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
                    return HttpResponses.error(request, status, null);
                }, server.loop());
    }

    /** The keep-alive connections to one backend. */
    private final class Pool {

        private final InetSocketAddress address;
        private final Deque<Backend> idle = new ConcurrentLinkedDeque<>();
        /** Calls waiting for a connection, in order; guarded by this pool, as is {@code open}. */
        private final Deque<CompletableFuture<Backend>> waiting = new ArrayDeque<>();
        private final int cap;
        /** Connections open or connecting. */
        private int open;

        Pool(InetSocketAddress address, int cap) {
            this.address = address;
            this.cap = cap;
        }

        /**
         * One call: a connection, the request written, the answer read and checked. The returned
         * future decides what happens to the connection when it completes, cancellation included.
         */
        CompletableFuture<Void> call(byte[] request, byte[] expectedBody) {
            CompletableFuture<Backend> acquired = acquire();
            CompletableFuture<Void> answered = acquired.thenCompose(
                    backend -> backend.exchange(ByteBuffer.wrap(request), expectedBody));
            answered.whenComplete((ok, failure) -> {
                if (answered.isCancelled()) {
                    acquired.cancel(false); // a call still queued for a connection leaves the queue
                }
                acquired.thenAccept(backend -> {
                    if (failure == null) {
                        release(backend);
                    } else if (answered.isCancelled()) {
                        // We gave up on it (deadline, failed sibling): the 504 or 502 reports that.
                        backend.close(null); // a pending read is only undone by closing
                    } else {
                        backend.close(failure);
                    }
                });
            });
            return answered;
        }

        /** An idle connection, a new one if there is room, or the promise of one (queued). */
        private CompletableFuture<Backend> acquire() {
            synchronized (this) {
                Backend backend;
                while ((backend = idle.pollFirst()) != null) {
                    if (backend.pooled.compareAndSet(true, false)) {
                        return CompletableFuture.completedFuture(backend);
                    }
                }
                if (open >= cap) {
                    CompletableFuture<Backend> turn = new CompletableFuture<>();
                    waiting.addLast(turn);
                    return turn;
                }
                open++;
            }
            return connect();
        }

        /** A new connection, counted in {@code open} already. */
        private CompletableFuture<Backend> connect() {
            CompletableFuture<FuturesConnection> connected = server.connect(address);
            connected.exceptionally(refused -> {
                server.counters().error(); // refused, unreachable: the call fails with 502
                gone();
                return null;
            });
            return connected.thenApply(Backend::new);
        }

        /** The first queued call still wanted, or null. Holding the lock. */
        private CompletableFuture<Backend> nextWaiting() {
            CompletableFuture<Backend> next;
            while ((next = waiting.pollFirst()) != null && next.isDone()) {
                // Cancelled while queued: its request was answered.
            }
            return next;
        }

        /** A connection is free again: the first queued call takes it, else it idles. */
        private void release(Backend backend) {
            if (!backend.reusable()) {
                backend.close(null);
                return;
            }
            CompletableFuture<Backend> next;
            synchronized (this) {
                next = nextWaiting();
                if (next == null) {
                    backend.pooled.set(true);
                    idle.offerFirst(backend);
                }
            }
            if (next != null) {
                if (!next.complete(backend)) {
                    release(backend); // cancelled just now: the next one, or the pool
                }
            } else if (backend.nextRead.isDone()) {
                backend.evict(); // the backend closed it between its answer and now
            }
        }

        /** A connection closed, or never connected: its room goes to the first queued call. */
        private void gone() {
            CompletableFuture<Backend> next;
            synchronized (this) {
                next = nextWaiting();
                if (next == null) {
                    open--;
                    return;
                }
            }
            CompletableFuture<Backend> turn = next;
            connect().whenComplete((backend, failure) -> {
                if (failure != null) {
                    turn.completeExceptionally(failure);
                } else if (!turn.complete(backend)) {
                    release(backend);
                }
            });
        }

        /** A connection to a backend: request, answer, request, answer, ... */
        private final class Backend {

            private final FuturesConnection connection;
            private final HttpResponseParser parser = new HttpResponseParser(limits.maxHeaderBytes());
            private final ByteBuffer in = ByteBuffer.allocate(limits.readBufferSize()).flip();
            private final AtomicBoolean pooled = new AtomicBoolean();
            private final AtomicBoolean closed = new AtomicBoolean();
            /** The read pending between calls: it receives the next answer. */
            private volatile CompletableFuture<Integer> nextRead;
            private boolean keepAlive;

            Backend(FuturesConnection connection) {
                this.connection = connection;
                readAhead();
            }

            CompletableFuture<Void> exchange(ByteBuffer request, byte[] expectedBody) {
                return connection.writeFully(request)
                        .thenCompose(written -> response(nextRead))
                        .thenAccept(response -> {
                            if (response.status() != 200 || !Arrays.equals(response.body(), expectedBody)) {
                                throw new CompletionException(new HttpException(HttpStatus.BAD_GATEWAY,
                                        "backend answered " + response.status()));
                            }
                            keepAlive = !response.close() && !in.hasRemaining();
                            if (keepAlive) {
                                readAhead();
                            }
                        });
            }

            /** Parses what {@code read} brings, reading on until one whole answer is in. */
            private CompletableFuture<Response> response(CompletableFuture<Integer> read) {
                return read.thenCompose(count -> {
                    if (count < 0) {
                        throw new CompletionException(new EOFException("backend closed the connection"));
                    }
                    in.flip();
                    try {
                        Response response = parser.parse(in);
                        return response != null ? CompletableFuture.completedFuture(response)
                                : response(connection.read(in.clear()));
                    } catch (HttpException malformed) {
                        throw new CompletionException(malformed);
                    }
                });
            }

            /**
             * Starts the read that will receive the next answer. If it completes while the
             * connection sits in the pool, the backend closed it (or broke the protocol): it
             * leaves the pool.
             */
            private void readAhead() {
                CompletableFuture<Integer> read = connection.read(in.clear());
                nextRead = read;
                // Only while it is still the read ahead: the one an exchange consumed completes
                // too, and its dependents may run in either order (the exchange's first, which
                // may have pooled the connection again with a new read ahead).
                read.whenComplete((count, failure) -> {
                    if (nextRead == read) {
                        evict();
                    }
                });
            }

            /** Takes the connection out of the pool and closes it, unless a call took it first. */
            void evict() {
                if (pooled.compareAndSet(true, false)) {
                    idle.remove(this);
                    close(null);
                }
            }

            /** Closes the connection, failed or not, once; its room in the pool is freed. */
            void close(Throwable failure) {
                if (closed.compareAndSet(false, true)) {
                    if (failure == null) {
                        connection.close();
                    } else {
                        connection.fail(failure);
                    }
                    gone();
                }
            }

            boolean reusable() {
                return keepAlive && connection.isOpen();
            }
        }
    }
}
