package io.asyncbench.callbacks;

import io.asyncbench.api.Limits;
import io.asyncbench.api.OutputBuffers;
import io.asyncbench.api.RunningServer;
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
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 as a chain of completion handlers around the shared parser: read, answer every
 * complete request that arrived, write the answers in one buffer, read again.
 *
 * <p>A request that must wait (/delay, the gateway's /fanout) is an operation like a read: it is
 * started with the connection as attachment and a handler that writes the answer. Meanwhile the
 * connection reads and parses nothing, so pipelined answers leave in request order, and a client
 * cannot queue more than one read buffer of requests behind it.
 *
 * <p>The idle timeout is the server's {@link CallbacksIdleTimeout}: a read between requests notes
 * its deadline in the connection, and one sweep on the server's timer closes the connections
 * whose read is overdue, so a request arms no timer. Only a read that continues an unfinished
 * request head (rare: requests usually arrive whole) is a timed NIO.2 read, which waits at most
 * until that head is due; timing out then answers 408.
 *
 * <p>What an idle connection holds: its parser, and the small read buffer lent to its pending
 * read (a proactor cannot wait for data without one). No output buffer: the answers of a batch
 * are encoded into one the server lends ({@link OutputBuffers}) until they are written.
 */
final class CallbacksHttpServer {

    /**
     * The read buffer a connection starts with. Every idle connection holds its own, lent to its
     * pending read, so it is small: a request head of ordinary size, 16 pipelined requests of
     * wrk's. Netty's adaptive receive buffers start at the same guess.
     */
    private static final int FIRST_READ_BYTES = 2048;
    /** Output buffers a server keeps for reuse: more than its connections usually write at once. */
    private static final int OUTPUT_BUFFERS_KEPT = 64;

    /**
     * An answer that takes time, shaped like an NIO.2 operation: it reports to {@code handler}
     * with {@code attachment}, exactly once, on whatever thread finished it.
     */
    interface Responder {
        <A> void respond(HttpRequest request, A attachment, CompletionHandler<HttpResponse, ? super A> handler);
    }

    static RunningServer start(ServerSpec spec) throws IOException {
        return serve(CallbacksServer.bind(spec), null);
    }

    /** Serves the http endpoints; {@code fanout} answers /fanout (the gateway), or null for 404. */
    static CallbacksServer serve(CallbacksServer server, Responder fanout) {
        Limits limits = server.spec().limits();
        Responder delay = new Delay(server.timer());
        CallbacksIdleTimeout idle = server.watchIdleConnections();
        OutputBuffers output = new OutputBuffers(limits.readBufferSize(), OUTPUT_BUFFERS_KEPT);
        return server.serve(connection -> new Exchange(connection, idle, output, limits, delay, fanout).read());
    }

    /**
     * asyncio.sleep inside a request: a callback on the server's timer. Nothing is held while it
     * waits but the scheduled task, and the callback only starts the write.
     */
    private record Delay(ScheduledExecutorService timer) implements Responder {
        @Override
        public <A> void respond(HttpRequest request, A attachment,
                                CompletionHandler<HttpResponse, ? super A> handler) {
            try {
                timer.schedule(() -> handler.completed(HttpResponses.delayed(request), attachment),
                        request.delayMs(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                handler.failed(closing, attachment);
            }
        }
    }

    /** One connection's state, the attachment of each of its operations. */
    private static final class Exchange {

        final CallbacksConnection connection;
        final CallbacksIdleTimeout idle;
        final OutputBuffers output;
        final HttpRequestParser parser;
        final long idleTimeoutNanos;
        final long headDeadlineNanos;
        final Limits limits;
        final Responder delay;
        final Responder fanout;
        /**
         * Read mode between reads: bytes that arrived and are not parsed yet. A proactor lends
         * the buffer to the pending read, so every idle connection holds one: it starts small
         * and doubles, up to {@link Limits#readBufferSize()}, whenever a read fills it.
         */
        ByteBuffer in;
        /** Answers to write together, encoded once the batch is complete ({@link #write()}). */
        final List<HttpResponse> answers = new ArrayList<>();
        int answerBytes;
        boolean continueAfterAnswers;
        /** The batch being written, in a buffer lent by the server; null between writes. */
        ByteBuffer out;
        /** A request whose answer takes time, to start once the answers before it are written. */
        HttpRequest waiting;
        boolean closeAfterWrite;
        boolean protocolError;
        long lingerDeadline;
        long lingerBytesLeft;
        /** When the unfinished request head began (meaningful while the parser reads one). */
        long headStartedAt;
        /** The pending read is limited by the head deadline, not by the idle timeout. */
        boolean headTimed;

        Exchange(CallbacksConnection connection, CallbacksIdleTimeout idle, OutputBuffers output,
                 Limits limits, Responder delay, Responder fanout) {
            this.connection = connection;
            this.idle = idle;
            this.output = output;
            this.parser = new HttpRequestParser(limits);
            this.idleTimeoutNanos = limits.idleTimeout().toNanos();
            this.headDeadlineNanos = limits.headDeadline().toNanos();
            this.limits = limits;
            this.delay = delay;
            this.fanout = fanout;
            // Heap buffers: the JDK reads and writes through its per-thread direct buffer cache,
            // so nothing is allocated per operation and nothing native is pinned per connection.
            this.in = ByteBuffer.allocate(Math.min(FIRST_READ_BYTES, limits.readBufferSize())).flip();
        }

        /**
         * Waits for more requests. Between requests the server's idle timeout watches the read;
         * a read that continues an unfinished head (rare: requests usually arrive whole) is
         * timed by NIO.2 itself, to the head deadline if that comes first.
         */
        void read() {
            if (in.limit() == in.capacity() && in.capacity() < limits.readBufferSize()) {
                // The last read filled it: more may be waiting. (The unparsed rest is empty here,
                // serve() reads again only once it parsed everything; moved along all the same.)
                in = ByteBuffer.allocate(Math.min(2 * in.capacity(), limits.readBufferSize())).put(in);
            } else {
                in.compact();
            }
            if (parser.takeHeadStarted()) {
                headStartedAt = System.nanoTime();
            }
            if (!parser.isReadingHead()) {
                headTimed = false;
                connection.readIdle(in, idle, this, Step.READ);
                return;
            }
            long left = headStartedAt + headDeadlineNanos - System.nanoTime();
            if (left <= 0) {
                headOverdue();
                return;
            }
            headTimed = left < idleTimeoutNanos;
            connection.read(in, Math.min(left, idleTimeoutNanos), TimeUnit.NANOSECONDS, this, Step.READ);
        }

        /** 408: the head did not end in time, and the stream cannot be trusted to end it. */
        void headOverdue() {
            protocolError = true;
            add(HttpResponses.error(new HttpException(HttpStatus.REQUEST_TIMEOUT,
                    "request head not received within " + limits.headDeadline())));
            write();
        }

        /** Answers the requests that arrived until one must wait; then writes, or reads for more. */
        void serve() {
            try {
                HttpRequest request;
                while (answerBytes < limits.readBufferSize() && (request = parser.parse(in)) != null) {
                    if (waits(request)) {
                        waiting = request;
                        if (!answers.isEmpty()) {
                            write(); // the answers before it go now, not after the wait
                        } else {
                            startWaiting();
                        }
                        return;
                    }
                    add(immediate(request));
                    if (closeAfterWrite) {
                        write(); // what follows a closing request is never read
                        return;
                    }
                }
                continueAfterAnswers = parser.takeContinueRequest();
            } catch (HttpException malformed) {
                protocolError = true;
                add(HttpResponses.error(malformed));
            }
            if (!answers.isEmpty() || continueAfterAnswers) {
                write();
            } else {
                read();
            }
        }

        boolean waits(HttpRequest request) {
            return HttpResponses.needsWaiting(request)
                    && (request.endpoint() == Endpoint.DELAY || fanout != null);
        }

        HttpResponse immediate(HttpRequest request) {
            return HttpResponses.needsWaiting(request) // /fanout on a server that has no backends
                    ? HttpResponses.error(request, HttpStatus.NOT_FOUND, null)
                    : HttpResponses.immediate(request);
        }

        void startWaiting() {
            HttpRequest request = waiting;
            waiting = null;
            Responder responder = request.endpoint() == Endpoint.DELAY ? delay : fanout;
            responder.respond(request, this, Answer.WRITE);
        }

        void add(HttpResponse response) {
            connection.counters().requestServed();
            answers.add(response);
            answerBytes += response.encodedLength();
            closeAfterWrite |= response.close();
        }

        /** Encodes the batch into a buffer lent by the server and writes it. */
        void write() {
            out = output.take(answerBytes + (continueAfterAnswers ? HttpResponses.CONTINUE.length : 0));
            for (HttpResponse answer : answers) {
                answer.encodeTo(out);
            }
            if (continueAfterAnswers) {
                out.put(HttpResponses.CONTINUE);
            }
            answers.clear();
            answerBytes = 0;
            continueAfterAnswers = false;
            connection.write(out.flip(), this, Step.WRITE);
        }

        /** Everything added so far is on the wire: go on where serve() left off. */
        void written() {
            output.give(out);
            out = null;
            if (closeAfterWrite) {
                closeGracefully();
            } else if (waiting != null) {
                startWaiting();
            } else {
                serve();
            }
        }

        /**
         * The closing rule ({@link LingeringClose}): FIN, then read and discard what the client
         * still sends until it closes too, for a bounded time and byte count. Closing at once with
         * unread request bytes in the socket would send RST, which fails a client still sending
         * and can destroy the answer before the client reads it.
         */
        void closeGracefully() {
            connection.shutdownOutput();
            lingerDeadline = System.nanoTime() + LingeringClose.DRAIN_TIME.toNanos();
            lingerBytesLeft = LingeringClose.DRAIN_BYTES;
            drain();
        }

        void drain() {
            long left = lingerDeadline - System.nanoTime();
            if (left <= 0 || lingerBytesLeft <= 0) {
                closed();
                return;
            }
            in.clear();
            connection.read(in, left, TimeUnit.NANOSECONDS, this, Step.DRAIN);
        }

        void closed() {
            if (protocolError) {
                connection.abort();
            } else {
                connection.close();
            }
        }
    }

    /**
     * The steps of the chain. Handlers keep no state (the exchange does), so one instance of each
     * serves every connection and an operation allocates no handler.
     */
    private enum Step implements CompletionHandler<Integer, Exchange> {

        READ {
            @Override
            public void completed(Integer count, Exchange exchange) {
                exchange.connection.heard();
                if (count < 0) {
                    exchange.connection.close(); // the client left between requests
                    return;
                }
                exchange.connection.counters().bytesRead(count);
                exchange.in.flip();
                exchange.serve();
            }
        },

        WRITE {
            @Override
            public void completed(Integer count, Exchange exchange) {
                exchange.connection.counters().bytesWritten(count);
                if (exchange.out.hasRemaining()) {
                    exchange.connection.write(exchange.out, exchange, WRITE); // partial: the rest
                } else {
                    exchange.written();
                }
            }
        },

        DRAIN {
            @Override
            public void completed(Integer count, Exchange exchange) {
                if (count < 0) {
                    exchange.closed(); // the client read our answer and closed: done
                    return;
                }
                exchange.connection.counters().bytesRead(count);
                exchange.lingerBytesLeft -= count;
                exchange.drain();
            }

            @Override
            public void failed(Throwable failure, Exchange exchange) {
                exchange.closed(); // linger over (timeout) or the client reset: the answer is out
            }
        };

        /** An IO failure, the idle timeout (InterruptedByTimeoutException), or close(). */
        @Override
        public void failed(Throwable failure, Exchange exchange) {
            if (this == READ && exchange.headTimed && failure instanceof InterruptedByTimeoutException) {
                exchange.headOverdue(); // a timed-out read refuses further reads, not writes
            } else {
                exchange.connection.fail(failure);
            }
        }
    }

    /** A waited-for answer (delay, fan-out) is ready: on the timer's thread or a group thread. */
    private enum Answer implements CompletionHandler<HttpResponse, Exchange> {
        WRITE;

        @Override
        public void completed(HttpResponse response, Exchange exchange) {
            exchange.add(response);
            exchange.write();
        }

        @Override
        public void failed(Throwable failure, Exchange exchange) {
            exchange.connection.fail(failure); // the timer refused: the server is closing
        }
    }

    private CallbacksHttpServer() {
    }
}
