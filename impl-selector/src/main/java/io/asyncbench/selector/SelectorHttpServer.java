package io.asyncbench.selector;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpRequestParser;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.api.http.LingeringClose;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The http workload as an asyncio Protocol, shaped like uvicorn's httptools protocol: bytes are
 * fed to the shared parser as they arrive, and each complete request is answered in order.
 *
 * <ul>
 *   <li><b>Parsing.</b> Bytes arrive in the loop's read buffer and are parsed there. The parser
 *       (and its head array) is the loop's, lent by {@link SelectorHttpParsers} only while this
 *       connection holds part of a request: an idle keep-alive connection keeps none.</li>
 *   <li><b>Batching.</b> The answers to one read's requests are encoded into the loop's output
 *       buffer and written once, so 16 pipelined requests cost one write system call.</li>
 *   <li><b>Waiting.</b> {@code /delay} is {@code asyncio.sleep} inside a handler: a
 *       {@link SelectorEventLoop#callLater} timer, no thread held. While a request waits, the
 *       requests behind it wait their turn: reading pauses, and what was already read stays in
 *       {@code unparsed} (at most one read buffer) until the answer has gone out.</li>
 *   <li><b>Flow control.</b> A client that sends faster than it reads our answers gets the same
 *       treatment: the transport's {@link #pauseWriting()} pauses reading.</li>
 *   <li><b>Idle timeout.</b> One {@code callLater} timer per connection, re-armed from the time the
 *       client was last heard from. Re-arming lazily when it fires, rather than cancelling and
 *       scheduling a timer on every read, keeps the timer heap quiet under load (what Netty's
 *       IdleStateHandler does too).</li>
 *   <li><b>Closing.</b> After an answer that closes the connection, the closing rule
 *       ({@link LingeringClose}): {@code writeEof()}, then the protocol keeps reading and drops
 *       what the client still sends, until its EOF, a byte bound, or a {@code callLater} timer.</li>
 *   <li><b>Head deadline.</b> The same timer: a read that leaves a request head unfinished notes
 *       when that head began (the parser says so once per head), and the timer, which never
 *       sleeps longer than the head deadline, answers 408 and closes once the head is overdue.
 *       Whole requests, the usual case, cost nothing more.</li>
 * </ul>
 *
 * The gateway extends this protocol with one more kind of waiting request: {@link #answerLater}.
 */
class SelectorHttpServer implements Protocol {

    /**
     * Bytes that hold any response head of this subset, with room to spare (the longest is under
     * 250: SelectorHttpServerTest checks every kind of answer against this).
     */
    static final int HEAD_ROOM = 512;

    private final Limits limits;
    private final long idleTimeoutNanos;
    private final long headDeadlineNanos;
    private final Function<SelectorEventLoop, SelectorHttpParsers> parsersOfLoop;
    final ServerCounters counters;
    Transport transport;
    SelectorEventLoop loop;
    private SelectorHttpParsers parsers;
    /** The loop's, while this connection holds part of a request (or failed); else null. */
    private HttpRequestParser parser;

    /** Pipelined bytes read behind a request that is still being answered; null otherwise. */
    private ByteBuffer unparsed;
    /** A request waits for its answer (a sleep, backend calls); those behind it wait their turn. */
    private boolean waiting;
    /** The transport is above its high water mark: the client reads our answers too slowly. */
    private boolean writingPaused;
    /** Inside {@link #parseAndAnswer}, which owns the loop's output buffer until it returns. */
    private boolean parsing;
    private TimerHandle idleTimer;
    private long lastHeardFrom;
    private int bufferedAtIdleCheck;
    /** When the request head the parser is reading began (meaningful while it reads one). */
    private long headStartedAt;
    private TimerHandle sleep;
    /** The closing answer is out (or queued) and the FIN follows it: only draining now. */
    private boolean lingering;
    private long drainBytesLeft;
    private TimerHandle lingerTimer;

    /** One protocol per accepted connection; the connections of a loop share its parsers. */
    static Function<ServerCounters, Protocol> factory(Limits limits) {
        Function<SelectorEventLoop, SelectorHttpParsers> parsers = SelectorHttpParsers.perLoop(limits);
        return counters -> new SelectorHttpServer(limits, counters, parsers);
    }

    SelectorHttpServer(Limits limits, ServerCounters counters,
                       Function<SelectorEventLoop, SelectorHttpParsers> parsersOfLoop) {
        this.limits = limits;
        this.idleTimeoutNanos = limits.idleTimeout().toNanos();
        this.headDeadlineNanos = limits.headDeadline().toNanos();
        this.parsersOfLoop = parsersOfLoop;
        this.counters = counters;
    }

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        this.loop = transport.loop();
        this.parsers = parsersOfLoop.apply(loop);
        lastHeardFrom = loop.time();
        idleTimer = loop.callAt(lastHeardFrom + Math.min(idleTimeoutNanos, headDeadlineNanos), this::checkIdle);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (lingering) {
            drainBytesLeft -= data.remaining();
            data.position(data.limit()); // what follows a closing answer is never answered
            if (drainBytesLeft <= 0) {
                transport.close();
            }
            return;
        }
        lastHeardFrom = loop.time();
        parseAndAnswer(data);
        parsed(lastHeardFrom);
        if (data.hasRemaining()) {
            // A request holds the line. data is the loop's read buffer: keep the rest ourselves
            // (reading is paused meanwhile, so nothing else arrives until this is answered).
            unparsed = ByteBuffer.allocate(data.remaining()).put(data).flip();
        }
    }

    /**
     * After a parse that read bytes received at {@code now}: note a request head that began and
     * is not finished (the head deadline runs from there), and give the parser back to the loop
     * if the bytes ended on a request boundary.
     */
    private void parsed(long now) {
        if (parser == null) {
            return; // failed: the connection is closing
        }
        if (parser.takeHeadStarted()) {
            headStartedAt = now;
        } else if (parser.isIdle()) {
            parsers.giveBack(parser);
            parser = null;
        }
    }

    /** True while part of a request head has arrived and its end has not. */
    private boolean readingHead() {
        return parser != null && parser.isReadingHead();
    }

    /**
     * Answers every complete request in {@code input} until one must wait or the client stops
     * reading; what is left stays in {@code input}. The parser consumes incomplete requests into
     * its own buffer, so bytes are left over only when this stopped early.
     */
    private void parseAndAnswer(ByteBuffer input) {
        if (parser == null) {
            parser = parsers.borrow();
        }
        ByteBuffer out = loop.outputBuffer();
        parsing = true;
        try {
            HttpRequest request;
            while (canAnswer() && (request = parser.parse(input)) != null) {
                if (HttpResponses.needsWaiting(request)) {
                    flush(out); // the answers before it go now
                    waiting = true;
                    transport.pauseReading(); // the requests behind it stay in the kernel
                    answerLater(request);
                } else {
                    HttpResponse response = HttpResponses.immediate(request);
                    counters.requestServed();
                    encode(response, out);
                    if (response.close()) {
                        closeAfter(out, input);
                        return;
                    }
                }
            }
            if (parser.takeContinueRequest()) {
                if (out.remaining() < HttpResponses.CONTINUE.length) {
                    flush(out);
                }
                out.put(HttpResponses.CONTINUE);
            }
            flush(out);
        } catch (HttpException e) {
            // The stream can no longer be trusted: answer (400, 413, 431, 501, 505) and close.
            parsers.dropped(); // a failed parser is never lent again
            parser = null;
            counters.requestServed();
            counters.error();
            encode(HttpResponses.error(e), out);
            closeAfter(out, input);
        } finally {
            parsing = false;
        }
    }

    private boolean canAnswer() {
        return !waiting && !writingPaused && !lingering && !transport.isClosing();
    }

    /**
     * Starts answering a request that must wait; {@link #respond} later, from another callback.
     * Here that is {@code /delay}: asyncio.sleep as a timer on the loop.
     */
    void answerLater(HttpRequest request) {
        if (request.endpoint() == Endpoint.DELAY) {
            sleep = loop.callLater(request.delayMs(), TimeUnit.MILLISECONDS, () -> {
                sleep = null;
                respond(HttpResponses.delayed(request));
            });
        } else {
            // /fanout calls backends, which only the gateway has.
            respond(HttpResponses.error(request, HttpStatus.NOT_FOUND, null));
        }
    }

    /** The connection is gone while a request waits: stop waiting (cancel the sleep). */
    void stopWaiting() {
        if (sleep != null) {
            sleep.cancel();
            sleep = null;
        }
    }

    /** Sends the answer to the request that held the line, then goes on with the ones behind it. */
    final void respond(HttpResponse response) {
        if (parsing) {
            // Answered before answerLater returned: parseAndAnswer still owns the output buffer.
            loop.callSoon(() -> respond(response));
            return;
        }
        if (transport.isClosing()) {
            return;
        }
        waiting = false;
        counters.requestServed();
        lastHeardFrom = loop.time(); // the idle clock starts once the answer is out
        ByteBuffer out = loop.outputBuffer();
        encode(response, out);
        flush(out);
        if (response.close()) {
            closeGracefully();
        } else {
            carryOn();
        }
    }

    /** The line is free again: answer what is already read, then read again. */
    private void carryOn() {
        if (unparsed != null && canAnswer()) {
            parseAndAnswer(unparsed);
            parsed(loop.time());
            if (!unparsed.hasRemaining()) {
                unparsed = null;
            }
        }
        if (canAnswer()) {
            transport.resumeReading();
        }
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
        if (!lingering) {
            transport.pauseReading(); // while lingering, draining goes on: nothing is answered
        }
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        carryOn();
    }

    /**
     * The idle timer fired: answer 408 and close if a request head is overdue; close the
     * connection if the client has been silent for the timeout with no request in progress (a
     * half-sent request does not count: that is a slowloris), otherwise re-arm for when either
     * could next happen. It never sleeps longer than the head deadline, so a head that begins
     * while it sleeps is looked at in time without touching the timer on the read.
     */
    private void checkIdle() {
        idleTimer = null;
        if (transport.isClosing() || lingering) {
            return; // closing already; while lingering the closing rule's own timer ends it
        }
        long now = loop.time();
        int buffered = transport.getWriteBufferSize();
        boolean clientReading = buffered != 0 && buffered != bufferedAtIdleCheck;
        bufferedAtIdleCheck = buffered;
        if (waiting || clientReading) {
            lastHeardFrom = now; // busy on our side, or the client is taking a long answer
        }
        if (readingHead() && !waiting && now - headStartedAt >= headDeadlineNanos) {
            headOverdue();
            return;
        }
        long due = lastHeardFrom + idleTimeoutNanos;
        if (due - now > 0) {
            long headDue = readingHead() ? headStartedAt + headDeadlineNanos : now + headDeadlineNanos;
            idleTimer = loop.callAt(due - headDue < 0 ? due : headDue, this::checkIdle);
            return;
        }
        counters.error();
        transport.abort(); // drop what the client did not read in all that time
    }

    /** 408: the stream cannot be trusted to end its head, so answer and close. */
    private void headOverdue() {
        counters.requestServed();
        counters.error();
        ByteBuffer out = loop.outputBuffer();
        encode(HttpResponses.error(new HttpException(HttpStatus.REQUEST_TIMEOUT,
                "request head not received within " + limits.headDeadline())), out);
        flush(out);
        closeGracefully();
    }

    @Override
    public boolean eofReceived() {
        return false; // the client is done: close once our answers are flushed
    }

    @Override
    public void connectionLost(Throwable exc) {
        if (lingerTimer != null) {
            lingerTimer.cancel();
            lingerTimer = null;
        }
        if (idleTimer != null) {
            idleTimer.cancel(); // else the heap holds this protocol until the timeout
            idleTimer = null;
        }
        stopWaiting();
        if (parser != null) {
            parsers.dropped(); // mid-request: its state belongs to this connection only
            parser = null;
        }
        unparsed = null;
    }

    private void encode(HttpResponse response, ByteBuffer out) {
        // Most answers plainly fit; asking one its exact length first costs a clock read more (for
        // its Date line): 30-50 ns on a VM's kvm-clock, some 4 % of a pipelined request.
        if (out.remaining() < HEAD_ROOM + response.body().length) {
            int length = response.encodedLength();
            if (length > out.remaining()) {
                flush(out);
                if (length > out.capacity()) {
                    transport.write(ByteBuffer.wrap(response.encode())); // a large /echo body
                    return;
                }
            }
        }
        response.encodeTo(out);
    }

    /** Writes what {@code out} holds; the transport sends it now or copies what the kernel refuses. */
    private void flush(ByteBuffer out) {
        out.flip();
        if (out.hasRemaining()) {
            transport.write(out);
        }
        out.clear();
    }

    private void closeAfter(ByteBuffer out, ByteBuffer input) {
        flush(out);
        input.position(input.limit()); // whatever follows is never answered
        closeGracefully();
    }

    /**
     * The closing rule ({@link LingeringClose}): FIN once the answers are flushed, then read and
     * drop what the client still sends until it closes (EOF: {@link #eofReceived} closes), for at
     * most a byte bound and a timer. Closing at once with unread input would send a reset, which
     * fails a client still sending its request and can destroy the answer before it is read.
     */
    private void closeGracefully() {
        lingering = true;
        drainBytesLeft = LingeringClose.DRAIN_BYTES;
        transport.writeEof();
        transport.resumeReading(); // paused if the client read slowly or a request waited
        lingerTimer = loop.callLater(LingeringClose.DRAIN_TIME, () -> {
            lingerTimer = null;
            transport.close();
        });
    }
}
