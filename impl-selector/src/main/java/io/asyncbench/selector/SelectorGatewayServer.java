package io.asyncbench.selector;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponseParser;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The gateway workload: the http protocol plus {@code /fanout?k=K&ms=M}, written the way an
 * asyncio user writes scatter-gather without coroutines, with protocols and callbacks.
 *
 * <ul>
 *   <li>{@link FanOut} is {@code asyncio.wait_for(asyncio.gather(*calls), deadline)}: K calls
 *       and a counter, and a {@code callLater} deadline that cancels whatever is outstanding.</li>
 *   <li>{@link BackendConnection} is a client Protocol on a transport from
 *       {@link SelectorEventLoop#createConnection}: it sends one request, parses one response,
 *       then goes back to its pool.</li>
 *   <li>{@link BackendPool}: one per loop, so a connection is only ever touched by the loop that
 *       owns it and pooling needs no lock; keep-alive connections are reused last-in first-out.
 *       Each loop may open its share of {@code Limits.maxBackendConnections} to each backend; a
 *       call finding none free waits in a queue, first come first served, for one to come back
 *       (or to close, making room for a new one); the request's deadline still ends the wait.</li>
 * </ul>
 * A cancelled call's connection is aborted, never pooled: a late answer must not reach the next
 * request that borrows it.
 */
final class SelectorGatewayServer extends SelectorHttpServer {

    /** Idle connections kept per backend and loop; more are closed when they come back. */
    private static final int MAX_IDLE_PER_BACKEND = 512;
    /** Room for a backend's response head: status line and a handful of headers. */
    private static final int MAX_RESPONSE_HEAD = 4 * 1024;

    /** One protocol per accepted connection, sharing one pool per loop across connections. */
    static Function<ServerCounters, Protocol> factory(ServerSpec spec) {
        Map<SelectorEventLoop, BackendPool> pools = new ConcurrentHashMap<>();
        Function<SelectorEventLoop, SelectorHttpParsers> parsers = SelectorHttpParsers.perLoop(spec.limits());
        return counters -> new SelectorGatewayServer(spec, counters, pools, parsers);
    }

    private final ServerSpec spec;
    private final Map<SelectorEventLoop, BackendPool> pools;
    private BackendPool pool;
    private FanOut fanOut;

    private SelectorGatewayServer(ServerSpec spec, ServerCounters counters,
                                  Map<SelectorEventLoop, BackendPool> pools,
                                  Function<SelectorEventLoop, SelectorHttpParsers> parsers) {
        super(spec.limits(), counters, parsers);
        this.spec = spec;
        this.pools = pools;
    }

    @Override
    public void connectionMade(Transport transport) {
        super.connectionMade(transport);
        pool = pools.computeIfAbsent(transport.loop(),
                loop -> new BackendPool(loop, spec.backends(), spec.socketOptions(), counters,
                        spec.limits().backendConnectionsPerPool(spec.ioThreads())));
    }

    @Override
    void answerLater(HttpRequest request) {
        if (request.endpoint() == Endpoint.FANOUT) {
            fanOut = new FanOut(request);
            fanOut.start();
        } else {
            super.answerLater(request);
        }
    }

    @Override
    void stopWaiting() {
        super.stopWaiting();
        if (fanOut != null) {
            fanOut.cancel(); // the client is gone: so are its calls
        }
    }

    /** One /fanout request: K backend calls gathered under a deadline. Lives on the loop. */
    final class FanOut {

        private final HttpRequest request;
        /** Outstanding calls by index; a slot is cleared when its call answers. */
        private final BackendConnection[] calls;
        private final byte[] backendRequest;
        private final byte[] expectedBody;
        private int outstanding;
        private TimerHandle deadline;
        private boolean done;

        FanOut(HttpRequest request) {
            this.request = request;
            this.calls = new BackendConnection[request.fanout()];
            this.backendRequest = HttpResponses.backendRequest(request.delayMs());
            this.expectedBody = HttpResponses.delayBody(request.delayMs());
            this.outstanding = calls.length;
        }

        void start() {
            deadline = loop.callLater(spec.limits().requestDeadline(), this::deadlinePassed); // wait_for
            for (int i = 0; i < calls.length && !done; i++) {
                pool.call(i % pool.backends(), this, i); // call i goes to backend i % size
            }
        }

        /** A call came back: good answers count down to 200; anything else ends it all in 502. */
        void answered(BackendConnection call, boolean good) {
            calls[call.slot] = null;
            if (!good) {
                finish(HttpResponses.error(request, HttpStatus.BAD_GATEWAY, null));
            } else if (--outstanding == 0) {
                finish(HttpResponses.fanout(request));
            }
        }

        private void deadlinePassed() {
            deadline = null;
            finish(HttpResponses.error(request, HttpStatus.GATEWAY_TIMEOUT, null));
        }

        private void finish(HttpResponse response) {
            if (done) {
                return;
            }
            cancel();
            respond(response);
        }

        /** asyncio's Task.cancel on whatever is still running: abort those connections. */
        void cancel() {
            done = true;
            fanOut = null;
            if (deadline != null) {
                deadline.cancel();
                deadline = null;
            }
            for (int i = 0; i < calls.length; i++) {
                if (calls[i] != null) {
                    calls[i].cancel();
                    calls[i] = null;
                }
            }
        }

        byte[] backendRequest() {
            return backendRequest;
        }

        boolean isExpected(HttpResponseParser.Response response) {
            return response.status() == 200 && Arrays.equals(response.body(), expectedBody);
        }
    }

    /** The keep-alive connections of one loop to every backend, idle ones last-in first-out. */
    static final class BackendPool {

        private final SelectorEventLoop loop;
        private final List<InetSocketAddress> addresses;
        private final SocketOptions options;
        private final ServerCounters counters;
        private final ArrayDeque<BackendConnection>[] idle;
        /** Calls waiting for a connection, per backend; those of a finished fan-out are skipped. */
        private final ArrayDeque<Waiter>[] waiting;
        /** Connections open or connecting, per backend, at most {@code cap}. */
        private final int[] open;
        private final int cap;

        /** A call queued for a connection: slot {@code slot} of {@code fanOut}. */
        private record Waiter(FanOut fanOut, int slot) {
        }

        @SuppressWarnings("unchecked")
        BackendPool(SelectorEventLoop loop, List<InetSocketAddress> addresses, SocketOptions options,
                    ServerCounters counters, int cap) {
            this.loop = loop;
            this.addresses = addresses;
            this.options = options;
            this.counters = counters;
            this.cap = cap;
            this.idle = new ArrayDeque[addresses.size()];
            this.waiting = new ArrayDeque[addresses.size()];
            this.open = new int[addresses.size()];
            for (int i = 0; i < idle.length; i++) {
                idle[i] = new ArrayDeque<>();
                waiting[i] = new ArrayDeque<>();
            }
        }

        int backends() {
            return addresses.size();
        }

        /** Makes call {@code slot} of {@code fanOut} on an idle connection, or on a new one. */
        void call(int backend, FanOut fanOut, int slot) {
            BackendConnection pooled;
            do { // skip one the backend closed a moment ago: its connectionLost is still queued
                pooled = idle[backend].pollLast();
            } while (pooled != null && pooled.transport.isClosing());
            if (pooled != null) {
                pooled.assign(fanOut, slot);
                pooled.sendRequest();
            } else if (open[backend] < cap) {
                connect(backend, fanOut, slot);
            } else {
                waiting[backend].addLast(new Waiter(fanOut, slot)); // past the cap: wait for one
            }
        }

        private void connect(int backend, FanOut fanOut, int slot) {
            open[backend]++;
            BackendConnection fresh = new BackendConnection(this, backend);
            fresh.assign(fanOut, slot);
            fresh.connect(loop.createConnection(addresses.get(backend), () -> fresh, options,
                    counters));
        }

        /** The next queued call still wanted, or null. */
        private Waiter nextWaiter(int backend) {
            Waiter next;
            while ((next = waiting[backend].pollFirst()) != null && next.fanOut.done) {
                // Its request was answered meanwhile (deadline, failure, client gone).
            }
            return next;
        }

        /** A connection is free again: the first queued call takes it, else it idles. */
        void release(BackendConnection connection) {
            Waiter next = nextWaiter(connection.backend);
            if (next != null) {
                connection.assign(next.fanOut, next.slot);
                connection.sendRequest();
                return;
            }
            ArrayDeque<BackendConnection> free = idle[connection.backend];
            if (free.size() < MAX_IDLE_PER_BACKEND) {
                free.addLast(connection);
            } else {
                connection.transport.close();
            }
        }

        /** A connection closed or never opened: room for a new one, if a call waits for it. */
        void remove(BackendConnection connection) {
            idle[connection.backend].remove(connection);
            open[connection.backend]--;
            Waiter next = nextWaiter(connection.backend);
            if (next != null) {
                connect(connection.backend, next.fanOut, next.slot);
            }
        }
    }

    /**
     * A client Protocol on one backend connection: idle (in the pool), or busy with one call.
     * Connecting is part of the call, so the deadline covers a backend that never accepts.
     */
    static final class BackendConnection implements Protocol {

        private final BackendPool pool;
        private final int backend;
        private final HttpResponseParser parser = new HttpResponseParser(MAX_RESPONSE_HEAD);
        private CompletableFuture<Transport> connecting;
        private Transport transport;
        private FanOut fanOut;
        private int slot;

        BackendConnection(BackendPool pool, int backend) {
            this.pool = pool;
            this.backend = backend;
        }

        void assign(FanOut caller, int index) {
            fanOut = caller;
            slot = index;
            caller.calls[index] = this;
        }

        void connect(CompletableFuture<Transport> attempt) {
            connecting = attempt;
            attempt.whenComplete((connected, failure) -> {
                connecting = null;
                if (failure != null) {
                    pool.remove(this); // never made: no connectionLost will follow
                }
                if (failure != null && !(failure instanceof CancellationException)) {
                    pool.counters.error(); // refused, unreachable: the call fails with 502
                    callFailed();
                }
            });
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            if (fanOut == null) {
                transport.abort(); // the call was cancelled while we connected
            } else {
                sendRequest();
            }
        }

        void sendRequest() {
            transport.write(ByteBuffer.wrap(fanOut.backendRequest()));
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            try {
                HttpResponseParser.Response response;
                while (!transport.isClosing() && (response = parser.parse(data)) != null) {
                    FanOut caller = fanOut;
                    fanOut = null;
                    if (caller == null) {
                        transport.abort(); // an answer nobody asked for: the stream is out of step
                        return;
                    }
                    boolean good = caller.isExpected(response);
                    if (!good || response.close()) {
                        transport.close();
                    }
                    caller.answered(this, good);
                    if (!transport.isClosing()) {
                        pool.release(this); // after the caller: it may not borrow us back mid-parse
                    }
                }
            } catch (HttpException malformed) {
                pool.counters.error();
                transport.abort();
            }
        }

        /** The caller gave up (deadline, failure elsewhere, client gone): close, never pool. */
        void cancel() {
            fanOut = null;
            if (transport != null) {
                transport.abort(); // no error of its own: the caller's 504 or 502 reports it
            } else if (connecting != null) {
                connecting.cancel(false); // the loop closes the half-open socket
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            pool.remove(this);
            callFailed();
        }

        private void callFailed() {
            FanOut caller = fanOut;
            fanOut = null;
            if (caller != null) {
                caller.answered(this, false);
            }
        }
    }
}
