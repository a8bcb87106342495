package io.asyncbench.futures;

import io.asyncbench.api.Limits;
import io.asyncbench.api.OutputBuffers;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpRequestParser;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.api.http.LingeringClose;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 as composed futures: a session is a loop of rounds, each round
 * {@code read -> parse -> answer}, where answering is itself a future. One request is answered at
 * a time, so answers leave in request order even when a {@code /delay} behind a {@code /json}
 * finishes last; the answers to the immediate requests of one read are batched into one write.
 *
 * <ul>
 *   <li><b>Waiting.</b> {@code /delay} is a delayed future: {@code supplyAsync} on
 *       {@link CompletableFuture#delayedExecutor}, which releases the answer onto the channel
 *       group's threads after N ms. No thread waits; the session's next stage simply is not run
 *       until then. The pipelined requests behind it wait in the read buffer, and nothing more is
 *       read meanwhile.</li>
 *   <li><b>Idle timeout.</b> A read between requests is {@code orTimeout} in effect, checked
 *       lazily: it notes its deadline in the connection, and the server's
 *       {@link FuturesIdleTimeout} closes the connections whose read is overdue, which fails
 *       that read's future and so ends the session. A request arms no timer. The same applies,
 *       through a real {@code orTimeout}, to a write the socket could not take at once and that
 *       makes no progress (a client that does not read its answers).</li>
 *   <li><b>Head deadline.</b> A read that continues an unfinished request head (rare: requests
 *       usually arrive whole) gets its own {@code orTimeout}, to the head deadline if that comes
 *       first, and its timeout then answers 408.</li>
 *   <li><b>Memory.</b> An idle connection holds its parser and the small read buffer lent to its
 *       pending read (a proactor cannot wait for data without one); the answers of a round are
 *       encoded into a buffer the server lends ({@link OutputBuffers}) until written.</li>
 *   <li><b>Backpressure.</b> Nothing is read until everything answered so far is written.</li>
 * </ul>
 *
 * The gateway reuses the session and adds one more kind of waiting request ({@link Waiting}).
 */
final class FuturesHttpServer {

    private static final CompletableFuture<Void> NOTHING_TO_WRITE = CompletableFuture.completedFuture(null);
    /**
     * The read buffer a connection starts with. Every idle connection holds its own, lent to its
     * pending read, so it is small: a request head of ordinary size, 16 pipelined requests of
     * wrk's. Netty's adaptive receive buffers start at the same guess.
     */
    private static final int FIRST_READ_BYTES = 2048;
    /** Output buffers a server keeps for reuse: more than its connections usually write at once. */
    private static final int OUTPUT_BUFFERS_KEPT = 64;

    /** Answers a request that must wait before it can be answered ({@code needsWaiting}). */
    @FunctionalInterface
    interface Waiting {
        CompletableFuture<HttpResponse> answer(HttpRequest request);
    }

    static RunningServer start(ServerSpec spec) throws IOException {
        return FuturesServer.start(spec, server -> sessions(server, spec.limits(), request ->
                request.endpoint() == Endpoint.DELAY
                        ? delay(request, server.loop())
                        // /fanout calls backends, which only the gateway has.
                        : CompletableFuture.completedFuture(
                                HttpResponses.error(request, HttpStatus.NOT_FOUND, null))));
    }

    /**
     * A session per connection of {@code server}, answering waiting requests with
     * {@code waiting}; starts the server's idle timeout.
     */
    static FuturesServer.Session sessions(FuturesServer server, Limits limits, Waiting waiting) {
        FuturesIdleTimeout idle = server.watchIdleConnections();
        OutputBuffers output = new OutputBuffers(limits.readBufferSize(), OUTPUT_BUFFERS_KEPT);
        return connection -> new Session(connection, idle, output, limits, waiting).run();
    }

    /** asyncio.sleep inside a request: the answer, N ms later, on the loop. */
    static CompletableFuture<HttpResponse> delay(HttpRequest request, Executor loop) {
        return CompletableFuture.supplyAsync(() -> HttpResponses.delayed(request),
                CompletableFuture.delayedExecutor(request.delayMs(), TimeUnit.MILLISECONDS, loop));
    }

    private static final class Session {

        private final FuturesConnection connection;
        private final FuturesIdleTimeout idle;
        private final OutputBuffers output;
        private final ServerCounters counters;
        private final HttpRequestParser parser;
        private final Waiting waiting;
        private final long idleNanos;
        private final long headDeadlineNanos;
        private final Limits limits;
        /** When the unfinished request head began (meaningful while the parser reads one). */
        private long headStartedAt;
        /**
         * Bytes read and not yet parsed (read mode): the requests behind one being answered. A
         * proactor lends the buffer to the pending read, so every idle connection holds one: it
         * starts small and doubles, up to {@link Limits#readBufferSize()}, whenever a read fills it.
         */
        private ByteBuffer in;
        /** The answers of one round, encoded and written together by {@link #flush}. */
        private final List<HttpResponse> batch = new ArrayList<>();
        private int batchBytes;
        /** An answer that closes the connection was sent: close by the closing rule. */
        private boolean answeredClose;
        private long drainDeadline;
        private long drainBytesLeft;

        Session(FuturesConnection connection, FuturesIdleTimeout idle, OutputBuffers output,
                Limits limits, Waiting waiting) {
            this.connection = connection;
            this.idle = idle;
            this.output = output;
            this.counters = connection.counters();
            this.parser = new HttpRequestParser(limits);
            this.waiting = waiting;
            this.idleNanos = limits.idleTimeout().toNanos();
            this.headDeadlineNanos = limits.headDeadline().toNanos();
            this.limits = limits;
            this.in = ByteBuffer.allocate(Math.min(FIRST_READ_BYTES, limits.readBufferSize())).flip();
        }

        CompletableFuture<Void> run() {
            return FuturesLoop.repeat(this::round)
                    .thenCompose(ended -> answeredClose ? closeGracefully() : NOTHING_TO_WRITE);
        }

        /**
         * The closing rule ({@link LingeringClose}): FIN, then read and drop what the client still
         * sends until it closes too, for a bounded time and byte count. Closing at once with
         * unread input would send a reset, which fails a client still sending its request and can
         * destroy the answer before the client reads it.
         */
        private CompletableFuture<Void> closeGracefully() {
            return connection.shutdownOutput().thenCompose(fin -> {
                drainDeadline = System.nanoTime() + LingeringClose.DRAIN_TIME.toNanos();
                drainBytesLeft = LingeringClose.DRAIN_BYTES;
                return FuturesLoop.repeat(this::drain);
            }).exceptionally(resetOrTimeout -> null); // the answer is out either way: close
        }

        private CompletableFuture<Boolean> drain() {
            long wait = drainDeadline - System.nanoTime();
            if (wait <= 0 || drainBytesLeft <= 0) {
                return FuturesLoop.STOP;
            }
            in.clear();
            return connection.read(in)
                    .orTimeout(wait, TimeUnit.NANOSECONDS) // the close then ends the pending read
                    .thenApply(count -> {
                        if (count < 0) {
                            return false; // the client closed too: done
                        }
                        drainBytesLeft -= count;
                        return true;
                    });
        }

        /** One round: answer what is buffered, or read more first. False ends the session. */
        private CompletableFuture<Boolean> round() {
            if (in.hasRemaining()) {
                return answer(); // pipelined requests left behind the one just answered
            }
            if (in.limit() == in.capacity() && in.capacity() < limits.readBufferSize()) {
                in = ByteBuffer.allocate(Math.min(2 * in.capacity(), limits.readBufferSize())); // it was filled
            } else {
                in.clear();
            }
            if (parser.takeHeadStarted()) {
                headStartedAt = System.nanoTime();
            }
            if (!parser.isReadingHead()) {
                return connection.readIdle(in, idle).thenCompose(this::answerRead);
            }
            // A read that continues an unfinished head (rare: requests usually arrive whole) is
            // timed on its own, to the head deadline if that comes first, which answers 408.
            long left = headStartedAt + headDeadlineNanos - System.nanoTime();
            if (left <= 0) {
                return headOverdue();
            }
            CompletableFuture<Boolean> round = connection.read(in)
                    .orTimeout(Math.min(left, idleNanos), TimeUnit.NANOSECONDS)
                    .thenCompose(this::answerRead);
            return left < idleNanos ? round.exceptionallyCompose(this::headOverdueOrFail) : round;
        }

        private CompletableFuture<Boolean> answerRead(int count) {
            in.flip();
            // EOF: the client is done, and everything it sent was answered.
            return count < 0 ? FuturesLoop.STOP : answer();
        }

        private CompletableFuture<Boolean> headOverdueOrFail(Throwable failure) {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            return cause instanceof TimeoutException ? headOverdue() : CompletableFuture.failedFuture(failure);
        }

        /** 408, then the session ends: the head did not end in time and the stream cannot be trusted. */
        private CompletableFuture<Boolean> headOverdue() {
            counters.error();
            return send(HttpResponses.error(new HttpException(HttpStatus.REQUEST_TIMEOUT,
                    "request head not received within " + limits.headDeadline())));
        }

        /**
         * Answers the requests in {@code in}, batching immediate answers (up to a read buffer's
         * worth), and writes them. Stops early, leaving the rest in {@code in}, at a request that
         * must wait: the batch goes first, then its answer on its own.
         */
        private CompletableFuture<Boolean> answer() {
            try {
                HttpRequest request;
                while (batchBytes < limits.readBufferSize() && (request = parser.parse(in)) != null) {
                    if (HttpResponses.needsWaiting(request)) {
                        // The answers before it go first; the requests behind it wait in `in`.
                        HttpRequest held = request;
                        return flush(false).thenCompose(sent -> waiting.answer(held)).thenCompose(this::send);
                    }
                    HttpResponse response = HttpResponses.immediate(request);
                    counters.requestServed();
                    batch.add(response);
                    batchBytes += response.encodedLength();
                    if (response.close()) {
                        answeredClose = true;
                        return flush(false).thenApply(sent -> false);
                    }
                }
                // Expect: 100-continue: the client waits for it before it sends the body.
                return flush(parser.takeContinueRequest()).thenApply(flushed -> true);
            } catch (HttpException malformed) {
                // The stream can no longer be trusted: answer (400, 413, 431, 501, 505), close.
                counters.error();
                return flush(false).thenCompose(sent -> send(HttpResponses.error(malformed)));
            }
        }

        /** Writes one answer on its own; true if the connection stays open. */
        private CompletableFuture<Boolean> send(HttpResponse response) {
            counters.requestServed();
            answeredClose |= response.close();
            return write(ByteBuffer.wrap(response.encode())).thenApply(sent -> !response.close());
        }

        /**
         * Writes the batch, and {@code 100 Continue} after it if asked, from a buffer the server
         * lends until it is written: an idle connection holds no output buffer. (A write that
         * failed keeps it: NIO.2 may still be writing from it.)
         */
        private CompletableFuture<Void> flush(boolean thenContinue) {
            if (batch.isEmpty() && !thenContinue) {
                return NOTHING_TO_WRITE;
            }
            ByteBuffer out = output.take(batchBytes + (thenContinue ? HttpResponses.CONTINUE.length : 0));
            for (HttpResponse response : batch) {
                response.encodeTo(out);
            }
            if (thenContinue) {
                out.put(HttpResponses.CONTINUE);
            }
            batch.clear();
            batchBytes = 0;
            return write(out.flip()).thenRun(() -> output.give(out));
        }

        private CompletableFuture<Void> write(ByteBuffer bytes) {
            return connection.writeFully(bytes, idleNanos);
        }
    }

    private FuturesHttpServer() {
    }
}
