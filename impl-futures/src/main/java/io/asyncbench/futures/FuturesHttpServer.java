package io.asyncbench.futures;

import io.asyncbench.api.Limits;
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
 *   <li><b>Idle timeout.</b> {@code orTimeout} on the read future: a client that sends nothing,
 *       or half a request, for the timeout fails the session with a TimeoutException, and ending
 *       the session closes the channel. That close matters: the timeout only completes our
 *       future, the read itself stays pending in the channel until it is closed. (It happens on
 *       the JDK's delay thread, which is fine: closing is the one NIO.2 call meant for any
 *       thread.) The same applies to a write that makes no progress (a client that does not read
 *       its answers).</li>
 *   <li><b>Head deadline.</b> The same {@code orTimeout}, shortened: while a request head is
 *       unfinished, a read waits at most until that head is due, and its timeout then answers
 *       408. Reads between whole requests keep the idle timeout and their usual stages.</li>
 *   <li><b>Backpressure.</b> Nothing is read until everything answered so far is written.</li>
 * </ul>
 *
 * The gateway reuses the session and adds one more kind of waiting request ({@link Waiting}).
 */
final class FuturesHttpServer {

    private static final CompletableFuture<Void> NOTHING_TO_WRITE = CompletableFuture.completedFuture(null);

    /** Answers a request that must wait before it can be answered ({@code needsWaiting}). */
    @FunctionalInterface
    interface Waiting {
        CompletableFuture<HttpResponse> answer(HttpRequest request);
    }

    static RunningServer start(ServerSpec spec) throws IOException {
        return FuturesServer.start(spec, server -> sessions(spec.limits(), request ->
                request.endpoint() == Endpoint.DELAY
                        ? delay(request, server.loop())
                        // /fanout calls backends, which only the gateway has.
                        : CompletableFuture.completedFuture(
                                HttpResponses.error(request, HttpStatus.NOT_FOUND, null))));
    }

    /** A session per connection, answering waiting requests with {@code waiting}. */
    static FuturesServer.Session sessions(Limits limits, Waiting waiting) {
        return connection -> new Session(connection, limits, waiting).run();
    }

    /** asyncio.sleep inside a request: the answer, N ms later, on the loop. */
    static CompletableFuture<HttpResponse> delay(HttpRequest request, Executor loop) {
        return CompletableFuture.supplyAsync(() -> HttpResponses.delayed(request),
                CompletableFuture.delayedExecutor(request.delayMs(), TimeUnit.MILLISECONDS, loop));
    }

    private static final class Session {

        private final FuturesConnection connection;
        private final ServerCounters counters;
        private final HttpRequestParser parser;
        private final Waiting waiting;
        private final long idleNanos;
        private final long headDeadlineNanos;
        private final Limits limits;
        /** When the unfinished request head began (meaningful while the parser reads one). */
        private long headStartedAt;
        /** Bytes read and not yet parsed (read mode): the requests behind one being answered. */
        private final ByteBuffer in;
        /** The answers of one round, written together. */
        private final ByteBuffer out;
        /** An answer that closes the connection was sent: close by the closing rule. */
        private boolean answeredClose;
        private long drainDeadline;
        private long drainBytesLeft;

        Session(FuturesConnection connection, Limits limits, Waiting waiting) {
            this.connection = connection;
            this.counters = connection.counters();
            this.parser = new HttpRequestParser(limits);
            this.waiting = waiting;
            this.idleNanos = limits.idleTimeout().toNanos();
            this.headDeadlineNanos = limits.headDeadline().toNanos();
            this.limits = limits;
            this.in = ByteBuffer.allocate(limits.readBufferSize()).flip();
            this.out = ByteBuffer.allocate(limits.readBufferSize());
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
            in.clear();
            if (parser.takeHeadStarted()) {
                headStartedAt = System.nanoTime();
            }
            long timeout = idleNanos;
            boolean headTimed = false;
            if (parser.isReadingHead()) {
                long left = headStartedAt + headDeadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return headOverdue();
                }
                headTimed = left < timeout;
                timeout = Math.min(timeout, left);
            }
            CompletableFuture<Boolean> round = connection.read(in)
                    .orTimeout(timeout, TimeUnit.NANOSECONDS)
                    .thenCompose(count -> {
                        in.flip();
                        // EOF: the client is done, and everything it sent was answered.
                        return count < 0 ? FuturesLoop.STOP : answer();
                    });
            // Only a read bounded by the head deadline gets the extra stage that answers 408.
            return headTimed ? round.exceptionallyCompose(this::headOverdueOrFail) : round;
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
         * Answers the requests in {@code in}, encoding immediate answers into {@code out}, and
         * writes them. Stops early, leaving the rest in {@code in}, at a request that must wait
         * or an answer too large to batch: those are written on their own after the batch.
         */
        private CompletableFuture<Boolean> answer() {
            out.clear();
            try {
                HttpRequest request;
                while ((request = parser.parse(in)) != null) {
                    if (HttpResponses.needsWaiting(request)) {
                        // The answers before it go first; the requests behind it wait in `in`.
                        HttpRequest held = request;
                        return flush().thenCompose(sent -> waiting.answer(held)).thenCompose(this::send);
                    }
                    HttpResponse response = HttpResponses.immediate(request);
                    if (response.encodedLength() > out.remaining()) {
                        return flush().thenCompose(sent -> send(response));
                    }
                    counters.requestServed();
                    response.encodeTo(out);
                    if (response.close()) {
                        answeredClose = true;
                        return flush().thenApply(sent -> false);
                    }
                }
                CompletableFuture<Void> sent = flush();
                if (parser.takeContinueRequest()) {
                    // The client waits for this before it sends the body.
                    sent = sent.thenCompose(flushed -> write(ByteBuffer.wrap(HttpResponses.CONTINUE)));
                }
                return sent.thenApply(flushed -> true);
            } catch (HttpException malformed) {
                // The stream can no longer be trusted: answer (400, 413, 431, 501, 505), close.
                counters.error();
                return flush().thenCompose(sent -> send(HttpResponses.error(malformed)));
            }
        }

        /** Writes one answer on its own; true if the connection stays open. */
        private CompletableFuture<Boolean> send(HttpResponse response) {
            counters.requestServed();
            int length = response.encodedLength();
            ByteBuffer bytes;
            if (length <= out.capacity()) {
                out.clear();
                response.encodeTo(out);
                bytes = out.flip();
            } else {
                bytes = ByteBuffer.wrap(response.encode()); // a large /echo body
            }
            answeredClose |= response.close();
            return write(bytes).thenApply(sent -> !response.close());
        }

        private CompletableFuture<Void> flush() {
            return write(out.flip());
        }

        private CompletableFuture<Void> write(ByteBuffer bytes) {
            return bytes.hasRemaining() ? connection.writeFully(bytes, idleNanos) : NOTHING_TO_WRITE;
        }
    }

    private FuturesHttpServer() {
    }
}
