package io.asyncbench.virtualthreads;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
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
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The gateway: the http server plus {@code /fanout?k=K&ms=M}, written as blocking code. Each
 * backend call is a plain blocking exchange on a thread of its own, and the request gathers them
 * like {@code asyncio.wait_for(asyncio.gather(*calls), deadline)}:
 *
 * <ul>
 *   <li>A {@link FanOut} runs the K calls and gathers them: on virtual threads an executor of a
 *       new thread per call and a completion queue, on platform threads the server's shared pool
 *       ({@link BackendCalls}), for {@code structured} a {@code StructuredTaskScope}. Whichever,
 *       no call outlives the request that made it, and the first failure ends the gather (502),
 *       as does the deadline (504).</li>
 *   <li>Cancelling is interrupting: an interrupt closes a call blocked in a socket read (an
 *       interrupted channel closes itself). A cancelled call's connection is therefore closed,
 *       never pooled, and a late answer cannot reach the next request.</li>
 *   <li>{@link BackendPool} keeps idle keep-alive connections per backend, last in first out, in
 *       a bounded thread-safe deque.</li>
 *   <li>A fair {@link Semaphore} per backend holds {@code Limits.maxBackendConnections} permits.
 *       The request's thread takes one before it starts each call, waiting in turn until the
 *       deadline (then 504), so neither connections nor call threads grow with K times the
 *       requests. The call gives it back when it returns; a call cancelled before it ran, by the
 *       request, once the gather has returned.</li>
 * </ul>
 * On virtual threads a call costs a small heap object while it waits; on platform threads each of
 * the K calls holds a pooled OS thread, which is the price the baseline shows.
 */
final class BlockingGatewayServer extends BlockingHttpServer {

    private final List<InetSocketAddress> backends;
    private final long deadlineNanos;
    private final FanOut fanOut;
    private final BackendPool pool;

    BlockingGatewayServer(ServerSpec spec, FanOut fanOut, ThreadFactory reaperThreads) {
        super(spec.limits(), reaperThreads);
        this.backends = spec.backends();
        this.deadlineNanos = spec.limits().requestDeadline().toNanos();
        this.fanOut = fanOut;
        this.pool = new BackendPool(backends, spec.socketOptions(), spec.limits().maxBackendConnections());
    }

    @Override
    HttpResponse answerAfterWaiting(HttpRequest request, ServerCounters counters) throws InterruptedException {
        if (request.endpoint() != Endpoint.FANOUT) {
            return super.answerAfterWaiting(request, counters);
        }
        long deadline = System.nanoTime() + deadlineNanos;
        FanOutCalls calls = new FanOutCalls(request.fanout(), request.delayMs(), counters);
        try {
            return switch (fanOut.gather(request.fanout(), calls, deadline)) {
                case GATHERED -> HttpResponses.fanout(request);
                case FAILED -> HttpResponses.error(request, HttpStatus.BAD_GATEWAY, null);
                case DEADLINE -> HttpResponses.error(request, HttpStatus.GATEWAY_TIMEOUT, null);
            };
        } finally {
            calls.releasePermits(); // those of calls cancelled before they ran
        }
    }

    /** One request's calls: call i goes to backend i mod B, on a connection permit taken first. */
    private final class FanOutCalls implements FanOut.Calls {

        private final byte[] backendRequest;
        private final byte[] expectedBody;
        private final ServerCounters counters;
        /** Written by the request's thread before it starts call i, which reads it. */
        private final Permit[] permits;

        FanOutCalls(int count, int delayMs, ServerCounters counters) {
            this.backendRequest = HttpResponses.backendRequest(delayMs);
            this.expectedBody = HttpResponses.delayBody(delayMs);
            this.counters = counters;
            this.permits = new Permit[count];
        }

        private InetSocketAddress backend(int call) {
            return backends.get(call % backends.size());
        }

        @Override
        public boolean admit(int call, long deadlineNanos) throws InterruptedException {
            Semaphore connections = pool.permits(backend(call));
            if (!connections.tryAcquire(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            permits[call] = new Permit(connections);
            return true;
        }

        @Override
        public void run(int call) throws IOException, HttpException {
            try {
                call(backend(call), backendRequest, expectedBody, counters);
            } finally {
                permits[call].release();
            }
        }

        void releasePermits() {
            for (Permit permit : permits) {
                if (permit != null) {
                    permit.release();
                }
            }
        }
    }

    /** One call's hold on a backend connection permit, given back exactly once. */
    private static final class Permit extends AtomicBoolean {

        private final transient Semaphore connections;

        Permit(Semaphore connections) {
            this.connections = connections;
        }

        void release() {
            if (compareAndSet(false, true)) {
                connections.release();
            }
        }
    }

    /** One backend call: a blocking request and response on a pooled connection. */
    private void call(InetSocketAddress backend, byte[] request, byte[] expectedBody, ServerCounters counters)
            throws IOException, HttpException {
        Response answer = pool.exchange(backend, request, counters);
        if (answer.status() != 200 || !Arrays.equals(answer.body(), expectedBody)) {
            throw new IOException("backend " + backend + " answered " + answer.status());
        }
    }

    /** Called once the server's threads have ended: no call runs, nobody borrows a connection. */
    @Override
    public void close() {
        try {
            fanOut.close();
        } finally {
            try {
                pool.close();
            } finally {
                super.close();
            }
        }
    }

    /**
     * Idle keep-alive connections, per backend. A connection is in the deque only while idle; the
     * thread that takes one owns it until it gives it back or closes it, so connections need no lock.
     */
    private static final class BackendPool {

        /** Idle connections kept per backend; more are closed when they come back. */
        private static final int MAX_IDLE_PER_BACKEND = 1024;

        private final Map<InetSocketAddress, BlockingDeque<BackendConnection>> idle;
        private final Map<InetSocketAddress, Semaphore> permits;
        private final SocketOptions options;
        private volatile boolean closed;

        BackendPool(List<InetSocketAddress> backends, SocketOptions options, int maxConnections) {
            this.idle = backends.stream().distinct().collect(Collectors.toUnmodifiableMap(
                    Function.identity(), backend -> new LinkedBlockingDeque<>(MAX_IDLE_PER_BACKEND)));
            this.permits = backends.stream().distinct().collect(Collectors.toUnmodifiableMap(
                    Function.identity(), backend -> new Semaphore(maxConnections, true)));
            this.options = options;
        }

        /** The connections to {@code backend} a call may use: one permit each, taken in turn. */
        Semaphore permits(InetSocketAddress backend) {
            return permits.get(backend);
        }

        /**
         * Sends {@code request} to {@code backend} and returns its answer, on an idle connection
         * if there is one, else on a new one. A connection that fails is closed, never pooled.
         */
        Response exchange(InetSocketAddress backend, byte[] request, ServerCounters counters)
                throws IOException, HttpException {
            BackendConnection reused = idle.get(backend).pollFirst();
            if (reused != null) {
                try {
                    return finish(reused, reused.exchange(request));
                } catch (IOException e) {
                    // An idle connection the backend closed in the meantime (its idle timeout) fails
                    // before any answer: send the request again on a new one. GET is idempotent.
                    boolean stale = !reused.receivedAnything() && !cancelled();
                    abandon(reused, !stale);
                    if (!stale) {
                        throw e;
                    }
                } catch (HttpException e) {
                    abandon(reused, true);
                    throw e;
                }
            }
            BackendConnection fresh = BackendConnection.open(backend, options, counters);
            try {
                return finish(fresh, fresh.exchange(request));
            } catch (IOException | HttpException e) {
                abandon(fresh, true);
                throw e;
            }
        }

        /**
         * Closes a connection whose exchange did not complete: a late answer must reach nobody.
         * An error when the backend caused it; not when we cancelled the call (the deadline, or
         * the server closing), since the client's 504 already says so.
         */
        private static void abandon(BackendConnection connection, boolean backendFailed) {
            connection.close(backendFailed && !cancelled());
        }

        /** cancel(true) interrupts the call's thread; the interrupted read closes the channel. */
        private static boolean cancelled() {
            return Thread.currentThread().isInterrupted();
        }

        private Response finish(BackendConnection connection, Response answer) {
            if (answer.close()) {
                connection.close(false);
            } else {
                release(connection);
            }
            return answer;
        }

        private void release(BackendConnection connection) {
            BlockingDeque<BackendConnection> stack = idle.get(connection.backend());
            if (closed || !stack.offerFirst(connection)) {
                connection.close(false);
            } else if (closed) {
                drain(stack); // close() ran between our check and our offer
            }
        }

        void close() {
            closed = true;
            idle.values().forEach(BackendPool::drain);
        }

        private static void drain(BlockingDeque<BackendConnection> stack) {
            BackendConnection connection;
            while ((connection = stack.pollFirst()) != null) {
                connection.close(false);
            }
        }
    }

    /** One blocking keep-alive connection to a backend, used by one thread at a time. */
    private static final class BackendConnection {

        /** Room for a backend's response head: a status line and a handful of headers. */
        private static final int MAX_RESPONSE_HEAD = 4 * 1024;
        private static final int READ_BUFFER = 4 * 1024;

        private final InetSocketAddress backend;
        private final SocketChannel channel;
        private final ServerCounters counters;
        private final HttpResponseParser parser = new HttpResponseParser(MAX_RESPONSE_HEAD);
        private final ByteBuffer input = ByteBuffer.allocateDirect(READ_BUFFER);
        private boolean receivedAnything;

        private BackendConnection(InetSocketAddress backend, SocketChannel channel, ServerCounters counters) {
            this.backend = backend;
            this.channel = channel;
            this.counters = counters;
        }

        /** Connects, blocking; a refused or unreachable backend throws, counted as an error. */
        static BackendConnection open(InetSocketAddress backend, SocketOptions options,
                                      ServerCounters counters) throws IOException {
            SocketChannel channel = SocketChannel.open();
            try {
                options.applyTo(channel);
                channel.connect(backend);
            } catch (IOException | RuntimeException e) {
                channel.close();
                if (!BackendPool.cancelled()) {
                    counters.error();
                }
                throw e;
            }
            counters.connectionOpened();
            return new BackendConnection(backend, channel, counters);
        }

        InetSocketAddress backend() {
            return backend;
        }

        boolean receivedAnything() {
            return receivedAnything;
        }

        /** Writes one request, then blocks until its whole response has arrived. */
        Response exchange(byte[] request) throws IOException, HttpException {
            receivedAnything = false;
            ByteBuffer bytes = ByteBuffer.wrap(request);
            while (bytes.hasRemaining()) {
                counters.bytesWritten(channel.write(bytes));
            }
            while (true) {
                input.flip();
                Response response = parser.parse(input);
                input.compact();
                if (response != null && response.status() != HttpStatus.CONTINUE.code()) {
                    return response;
                }
                if (response == null) {
                    int read = channel.read(input);
                    if (read < 0) {
                        throw new EOFException("backend " + backend + " closed the connection");
                    }
                    receivedAnything = true;
                    counters.bytesRead(read);
                }
            }
        }

        /** Closes the connection; {@code failed} when the backend ended it abnormally. */
        void close(boolean failed) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // The descriptor is released either way.
            }
            if (failed) {
                counters.error();
            }
            counters.connectionClosed();
        }
    }
}
