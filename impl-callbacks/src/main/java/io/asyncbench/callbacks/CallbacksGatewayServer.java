package io.asyncbench.callbacks;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponseParser;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway: the http server whose /fanout starts K backend calls at once, each a chain of
 * handlers (connect or take a pooled connection, write the request, read the answer), and gathers
 * them with a countdown. A deadline on the server's timer answers 504 if it fires first and closes
 * the connections of the calls still outstanding; the first failed call answers 502 the same way.
 * Whichever comes first (the last call, a failure, the deadline) answers; the others find the
 * answer given.
 *
 * <p>Backend connections are pooled per backend. An idle one keeps a read pending, so a backend
 * closing it is noticed at once and it leaves the pool, instead of failing the next call. A pool
 * opens at most {@code Limits.maxBackendConnections}; a call that finds none idle and no room
 * waits in the pool's queue, first come first served, for a connection to come back or to close
 * (making room for a new one), until its request's deadline cancels it.
 */
final class CallbacksGatewayServer {

    static RunningServer start(ServerSpec spec) throws IOException {
        CallbacksServer server = CallbacksServer.bind(spec);
        return CallbacksHttpServer.serve(server, new Fanout(server));
    }

    /** /fanout?k=K&amp;ms=M for one server: its backends, their pools, the deadline. */
    private static final class Fanout implements CallbacksHttpServer.Responder {

        final CallbacksServer server;
        final List<InetSocketAddress> backends;
        final Pool[] pools;
        final long deadlineNanos;

        Fanout(CallbacksServer server) {
            this.server = server;
            this.backends = server.spec().backends();
            this.pools = new Pool[backends.size()];
            int cap = server.spec().limits().maxBackendConnections();
            Arrays.setAll(pools, i -> new Pool(cap));
            this.deadlineNanos = server.spec().limits().requestDeadline().toNanos();
        }

        /** A new keep-alive connection, established by {@code call}, which it serves first. */
        Backend newBackend(Call call) {
            Limits limits = server.spec().limits();
            return new Backend(call.connection, pools[call.target], call, limits.readBufferSize(),
                    limits.maxHeaderBytes());
        }

        @Override
        public <A> void respond(HttpRequest request, A attachment,
                                CompletionHandler<HttpResponse, ? super A> handler) {
            Gather<A> gather = new Gather<>(request, attachment, handler);
            byte[] wire = HttpResponses.backendRequest(request.delayMs());
            for (int i = 0; i < gather.calls.length; i++) {
                gather.calls[i] = new Call(this, gather, i % backends.size(), wire);
            }
            // All calls exist before the deadline is set and any call starts, so a failure or the
            // deadline can cancel every one.
            try {
                gather.deadline = server.timer().schedule(gather::expire, deadlineNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                handler.failed(closing, attachment);
                return;
            }
            for (Call call : gather.calls) {
                call.start();
            }
        }
    }

    /** asyncio.gather with wait_for: a countdown of the calls, and one answer, given once. */
    private static final class Gather<A> {

        final HttpRequest request;
        final A attachment;
        final CompletionHandler<HttpResponse, ? super A> handler;
        final byte[] expectedBody;
        final Call[] calls;
        final AtomicInteger outstanding;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile Future<?> deadline;

        Gather(HttpRequest request, A attachment, CompletionHandler<HttpResponse, ? super A> handler) {
            this.request = request;
            this.attachment = attachment;
            this.handler = handler;
            this.expectedBody = HttpResponses.delayBody(request.delayMs());
            this.calls = new Call[request.fanout()];
            this.outstanding = new AtomicInteger(calls.length);
        }

        void succeeded() {
            if (outstanding.decrementAndGet() == 0) {
                answer(HttpResponses.fanout(request));
            }
        }

        void failed() {
            answer(HttpResponses.error(request, HttpStatus.BAD_GATEWAY, null));
        }

        /** The deadline's callback, on the timer's thread. */
        void expire() {
            answer(HttpResponses.error(request, HttpStatus.GATEWAY_TIMEOUT, null));
        }

        private void answer(HttpResponse response) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            Future<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            // Last first: calls still queued for a connection go before any connection closes,
            // so the room a closing one makes is not handed to a call of this very request.
            for (int i = calls.length - 1; i >= 0; i--) {
                calls[i].cancel(); // a no-op for those that are done
            }
            handler.completed(response, attachment);
        }
    }

    /** One backend call: a pooled connection or a new one, the request written, the answer read. */
    private static final class Call {

        final Fanout fanout;
        final Gather<?> gather;
        /** Index of the backend called. */
        final int target;
        final ByteBuffer request;
        final AtomicBoolean done = new AtomicBoolean();
        /** The connection this call uses, once it has one: what cancel() closes. */
        volatile CallbacksConnection connection;
        /** The keep-alive connection carrying the request, once it is written. */
        Backend via;

        Call(Fanout fanout, Gather<?> gather, int target, byte[] wire) {
            this.fanout = fanout;
            this.gather = gather;
            this.target = target;
            this.request = ByteBuffer.wrap(wire);
        }

        void start() {
            if (done.get()) {
                return; // cancelled before it started
            }
            Backend idle = fanout.pools[target].acquire(this);
            if (idle == Pool.OPEN_ONE) {
                connect();
            } else if (idle != null) {
                send(idle);
            } // else queued: the pool starts it when a connection comes back or makes room
        }

        /** Opens a new connection for this call; the pool counted it already. */
        void connect() {
            Pool pool = fanout.pools[target];
            CallbacksConnection fresh;
            try {
                fresh = fanout.server.open();
            } catch (IOException e) {
                pool.gone();
                fail();
                return;
            }
            if (use(fresh)) {
                fresh.connect(fanout.backends.get(target), this, Connected.HANDLER);
            } else {
                pool.gone(); // cancelled meanwhile: use() closed it before it connected
            }
        }

        /** Makes {@code c} the call's connection; false (and closes it) if cancelled meanwhile. */
        boolean use(CallbacksConnection c) {
            connection = c;
            if (done.get()) { // cancel() ran before it could see the connection: close it here
                c.close();
                return false;
            }
            return true;
        }

        void send(Backend backend) {
            if (use(backend.connection)) {
                via = backend;
                backend.halvesLeft.set(2);
                backend.connection.write(request, this, Sent.HANDLER);
            }
        }

        /**
         * Ends the call; true for the one caller that does (its answer, a failure, a cancel). Once
         * the answer has ended it, cancel() no longer closes the connection, which may be pooled.
         */
        boolean end() {
            return done.compareAndSet(false, true);
        }

        /** The answer that ended this call. */
        void report(HttpResponseParser.Response response) {
            if (response.status() == 200 && Arrays.equals(response.body(), gather.expectedBody)) {
                gather.succeeded();
            } else {
                gather.failed(); // the connection is fine: a 500 or a wrong body is the backend's
            }
        }

        void fail() {
            if (end()) {
                gather.failed();
            }
        }

        /** The deadline passed or another call failed: the connection is closed, never pooled. */
        void cancel() {
            if (end()) {
                CallbacksConnection c = connection;
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * The keep-alive connections to one backend: the idle ones, most recently used first, how many
     * are open or connecting (at most {@code cap}), and the calls waiting for one. A small lock
     * keeps the three in step; what it hands over (a connection, room for a new one) is acted on
     * after it is released.
     */
    private static final class Pool {

        /** What {@link #acquire} answers when the call should open a new connection. */
        static final Backend OPEN_ONE = new Backend(null, null, null, 1, 64);

        final ArrayDeque<Backend> idle = new ArrayDeque<>();
        final ArrayDeque<Call> waiting = new ArrayDeque<>();
        final int cap;
        int open;

        Pool(int cap) {
            this.cap = cap;
        }

        /**
         * An idle connection now claimed by {@code call}; {@link #OPEN_ONE} if the call may open
         * a new one; or null if the call was queued.
         */
        Backend acquire(Call call) {
            synchronized (this) {
                Backend backend;
                while ((backend = idle.pollFirst()) != null) {
                    if (backend.call.compareAndSet(null, call)) {
                        return backend;
                    }
                    // Closed while idle, after its removal raced with this poll: drop it.
                }
                if (open < cap) {
                    open++;
                    return OPEN_ONE;
                }
                waiting.addLast(call);
                return null;
            }
        }

        /** A connection is free again: the first queued call still wanted takes it, else it idles. */
        void release(Backend backend) {
            Call next;
            synchronized (this) {
                next = nextWaiting();
                if (next == null) {
                    idle.addFirst(backend);
                    return;
                }
                if (!backend.call.compareAndSet(null, next)) {
                    waiting.addFirst(next); // closed meanwhile: ended() passes its room on
                    return;
                }
            }
            next.send(backend);
        }

        /** The first queued call still wanted; those whose request was answered are dropped. */
        private Call nextWaiting() {
            Call next;
            while ((next = waiting.pollFirst()) != null && next.done.get()) {
                // Cancelled while queued (the deadline, a failure elsewhere): nothing to start.
            }
            return next;
        }

        /** An idle connection closed: it leaves the pool. */
        void remove(Backend backend) {
            synchronized (this) {
                idle.remove(backend);
            }
        }

        /** A connection closed or never connected: its room goes to the first queued call. */
        void gone() {
            Call next;
            synchronized (this) {
                next = nextWaiting();
                if (next == null) {
                    open--;
                    return;
                }
            }
            next.connect(); // the room passes on: open stays as it is
        }
    }

    /** A keep-alive connection to a backend, the attachment of its reads. */
    private static final class Backend {

        /** Marks a connection that was closed: it can be claimed no more. */
        static final Call CLOSED = new Call(null, null, 0, new byte[0]);

        final CallbacksConnection connection;
        final Pool pool;
        final HttpResponseParser parser;
        /** Read mode between reads. */
        final ByteBuffer in;
        /** The call being answered on this connection; null while idle in the pool. */
        final AtomicReference<Call> call;
        /**
         * The request written and its answer read: both must be done before another call may use
         * the connection. The answer can be handled on one thread while the write that caused it
         * has yet to return on another, and NIO.2 refuses a second write until it has.
         */
        final AtomicInteger halvesLeft = new AtomicInteger();

        Backend(CallbacksConnection connection, Pool pool, Call first, int bufferSize, int maxHeadBytes) {
            this.connection = connection;
            this.pool = pool;
            this.parser = new HttpResponseParser(maxHeadBytes);
            this.in = ByteBuffer.allocate(bufferSize).flip();
            this.call = new AtomicReference<>(first);
        }

        /** Always pending, also while idle: EOF or a reset then takes the connection out of the pool. */
        void read() {
            in.compact();
            connection.read(in, this, Received.HANDLER);
        }

        /** Half of the call on this connection is done; after both, offer the connection again. */
        void halfDone(Call served) {
            if (halvesLeft.decrementAndGet() == 0
                    && call.compareAndSet(served, null)) { // else it was closed in the meantime
                pool.release(this);
            }
        }

        /** The connection ended: leave the pool, or fail the call it was serving. */
        void ended(Throwable failure) {
            Call serving = call.getAndSet(CLOSED);
            if (failure == null) {
                connection.close();
            } else {
                connection.fail(failure);
            }
            if (serving == null) {
                pool.remove(this);
            } else if (serving != CLOSED) {
                serving.fail();
            }
            if (serving != CLOSED) {
                pool.gone();
            }
        }
    }

    private enum Connected implements CompletionHandler<Void, Call> {
        HANDLER;

        @Override
        public void completed(Void unused, Call call) {
            Backend backend = call.fanout.newBackend(call);
            backend.read();
            call.send(backend);
        }

        @Override
        public void failed(Throwable failure, Call call) {
            call.connection.fail(failure); // refused: counted as an error, never opened
            call.fail();
            call.fanout.pools[call.target].gone();
        }
    }

    private enum Sent implements CompletionHandler<Integer, Call> {
        HANDLER;

        @Override
        public void completed(Integer count, Call call) {
            call.connection.counters().bytesWritten(count);
            if (call.request.hasRemaining()) {
                call.connection.write(call.request, call, this);
            } else {
                // The connection's read is already pending for the answer.
                call.via.halfDone(call);
            }
        }

        @Override
        public void failed(Throwable failure, Call call) {
            call.connection.fail(failure);
            call.fail();
        }
    }

    private enum Received implements CompletionHandler<Integer, Backend> {
        HANDLER;

        @Override
        public void completed(Integer count, Backend backend) {
            if (count < 0) {
                backend.ended(null); // the backend closed it (its idle timeout, or after answering)
                return;
            }
            backend.connection.counters().bytesRead(count);
            backend.in.flip();
            Call call = backend.call.get();
            if (call == null || call == Backend.CLOSED) {
                backend.ended(new IOException("backend sent bytes nobody asked for"));
                return;
            }
            HttpResponseParser.Response response;
            try {
                do {
                    response = backend.parser.parse(backend.in);
                } while (response != null && response.status() == 100);
            } catch (HttpException malformed) {
                backend.ended(new IOException(malformed.getMessage()));
                return;
            }
            if (response == null) {
                backend.read(); // more of the answer to come
                return;
            }
            if (!call.end()) {
                backend.ended(null); // cancelled just now: cancel() is closing it, never to be pooled
                return;
            }
            if (response.close() || backend.in.hasRemaining()) {
                backend.ended(null); // the backend said so, or sent more than one answer
            } else {
                backend.read(); // pending again at once, also while idle
                backend.halfDone(call); // usually the second half: in the pool before the client hears
            }
            call.report(response);
        }

        @Override
        public void failed(Throwable failure, Backend backend) {
            backend.ended(failure);
        }
    }

    private CallbacksGatewayServer() {
    }
}
