package io.asyncbench.virtualthreads;

import io.asyncbench.api.Limits;
import io.asyncbench.api.OutputBuffers;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpRequestParser;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.api.http.LingeringClose;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1, the blocking way: read, parse, answer, read again. The loop below is the whole
 * connection: there is no state machine, because the thread's position in the code is the state.
 *
 * <ul>
 *   <li>Pipelining and ordering come free: requests are answered one after the other, in the
 *       order they were parsed. The answers to one read's worth of requests are batched in one
 *       buffer and written together just before the thread blocks again.</li>
 *   <li>What an idle keep-alive connection holds, blocked in a read: its thread, its parser and a
 *       small read buffer ({@link GrowingReadBuffer}). The buffer its answers are gathered in is
 *       borrowed for each batch ({@link PendingAnswers}, {@link OutputBuffers}).</li>
 *   <li>{@code /delay} is a plain {@link Thread#sleep}: on a virtual thread that is exactly
 *       asyncio.sleep (the thread unmounts, no carrier is held); on a platform thread it holds an
 *       OS thread for the whole delay, which is the cost this baseline exists to show.</li>
 *   <li>The idle timeout is a deadline checked lazily, not a timer per read: each read is a plain
 *       blocking {@code channel.read} that notes when it is due ({@link IdleDeadline}), and the
 *       server's {@link IdleReaper} ends a read that waits past it (it shuts the socket's input,
 *       so the read returns at once). That ends the connection as an error. It catches silent
 *       clients and half-sent bodies.</li>
 *   <li>Only a read that continues an unfinished request head (a slow client's; now and then a
 *       pipeline's, cut by the read buffer) carries a timer: it reads through the socket's
 *       stream, whose read timeout is set to when that head is due (or to the idle timeout, if
 *       sooner). Timing out at the head deadline answers 408. Not the reaper: a socket whose
 *       input is shut reads nothing more, and the kernel answers the client's next bytes with a
 *       reset, which the closing rule's drain after the 408 is there to prevent.</li>
 * </ul>
 */
sealed class BlockingHttpServer implements BlockingHandler permits BlockingGatewayServer {

    /**
     * A connection's first read buffer: a request head of a typical client, or a batch of small
     * pipelined ones, fits; it grows for more ({@link GrowingReadBuffer}).
     */
    private static final int INITIAL_READ_BUFFER = 2 * 1024;
    /** Room for the answers to one read's worth of requests; one read's pipelined answers usually fit. */
    private static final int OUTPUT_BUFFER = 16 * 1024;
    /** Output buffers kept for reuse: more than connections usually write at once on a few carriers. */
    private static final int OUTPUT_BUFFERS_KEPT = 64;

    private final Limits limits;
    private final int idleTimeoutMillis;
    private final long headDeadlineNanos;
    private final IdleReaper reaper;
    private final OutputBuffers outputBuffers = new OutputBuffers(OUTPUT_BUFFER, OUTPUT_BUFFERS_KEPT);

    /** Starts the server's idle reaper on a thread of {@code reaperThreads}; {@link #close()} stops it. */
    BlockingHttpServer(Limits limits, ThreadFactory reaperThreads) {
        this.limits = limits;
        this.idleTimeoutMillis = (int) Math.clamp(limits.idleTimeout().toMillis(), 1, Integer.MAX_VALUE);
        this.headDeadlineNanos = limits.headDeadline().toNanos();
        this.reaper = IdleReaper.start(limits.idleTimeout(), reaperThreads);
    }

    @Override
    public final void serve(SocketChannel channel, ServerCounters counters)
            throws IOException, InterruptedException {
        IdleDeadline idle = reaper.watch(channel);
        try {
            converse(channel, idle, counters);
        } finally {
            reaper.forget(channel);
        }
    }

    private void converse(SocketChannel channel, IdleDeadline idle, ServerCounters counters)
            throws IOException, InterruptedException {
        HttpRequestParser parser = new HttpRequestParser(limits);
        GrowingReadBuffer in = new GrowingReadBuffer(INITIAL_READ_BUFFER, limits.readBufferSize());
        ByteBuffer input = in.received(0);
        PendingAnswers answers = new PendingAnswers(channel, counters, outputBuffers);
        long headStartedAt = 0;

        while (true) {
            HttpRequest request;
            try {
                request = parser.parse(input);
            } catch (HttpException malformed) {
                // The stream cannot be trusted any more: one clear answer, then close.
                answers.add(HttpResponses.error(malformed));
                counters.requestServed();
                counters.error();
                closeAfterAnswer(channel, answers, in, counters);
                return;
            }
            if (request == null) {
                // The parser took every byte and needs more: send what is ready, then block.
                if (parser.takeContinueRequest()) {
                    answers.add(HttpResponses.CONTINUE);
                }
                answers.flush();
                if (parser.takeHeadStarted()) {
                    headStartedAt = System.nanoTime();
                }
                int read;
                if (parser.isReadingHead()) {
                    read = readMoreHead(channel, in.toReadInto(), headStartedAt);
                } else {
                    // Between requests or inside a body: the idle timeout alone, kept by the reaper.
                    read = reaper.read(channel, idle, in.clearedToReadInto());
                }
                if (read == 0) {
                    // The head is overdue: 408, and the stream cannot be trusted any more.
                    answers.add(HttpResponses.error(new HttpException(HttpStatus.REQUEST_TIMEOUT,
                            "request head not received within " + limits.headDeadline())));
                    counters.requestServed();
                    counters.error();
                    closeAfterAnswer(channel, answers, in, counters);
                    return;
                }
                if (read < 0) {
                    return; // the client is done (between requests, or gave up halfway)
                }
                counters.bytesRead(read);
                input = in.received(read);
                continue;
            }
            HttpResponse response;
            if (HttpResponses.needsWaiting(request)) {
                answers.flush(); // earlier answers must not wait behind this one
                response = answerAfterWaiting(request, counters);
            } else {
                response = HttpResponses.immediate(request);
            }
            answers.add(response);
            counters.requestServed();
            if (response.close()) {
                closeAfterAnswer(channel, answers, in, counters);
                return;
            }
        }
    }

    /**
     * Reads more of an unfinished request head into {@code into}, waiting no longer than until
     * the head is due, nor than the idle timeout. Returns the bytes read, -1 at the client's end
     * of stream, or 0 when the head is overdue (then 408); throws {@link SocketTimeoutException}
     * when the idle timeout came first. A blocking SocketChannel has no read timeout; its socket
     * adaptor's stream has, and setting it is a field of the adaptor, no system call.
     */
    private int readMoreHead(SocketChannel channel, byte[] into, long headStartedAt) throws IOException {
        int timeout = headTimeoutMillis(headStartedAt);
        if (timeout == 0) {
            return 0; // overdue already
        }
        Socket socket = channel.socket();
        socket.setSoTimeout(timeout);
        try {
            return socket.getInputStream().read(into);
        } catch (SocketTimeoutException timedOut) {
            if (timeout == idleTimeoutMillis && headTimeoutMillis(headStartedAt) > 0) {
                throw timedOut; // the idle timeout, before the head was due: an error, no answer
            }
            return 0;
        }
    }

    /** Milliseconds left until the head begun at {@code headStartedAt} is due: 0 if overdue, at most the idle timeout. */
    private int headTimeoutMillis(long headStartedAt) {
        long left = headStartedAt + headDeadlineNanos - System.nanoTime();
        if (left <= 0) {
            return 0;
        }
        return (int) Math.min(idleTimeoutMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    /**
     * Answers a request that has to wait, blocking this connection's thread until it can. Here
     * {@code /delay}; {@code /fanout} calls backends, which only the gateway has.
     */
    HttpResponse answerAfterWaiting(HttpRequest request, ServerCounters counters) throws InterruptedException {
        if (request.endpoint() == Endpoint.DELAY) {
            TimeUnit.MILLISECONDS.sleep(request.delayMs());
            return HttpResponses.delayed(request);
        }
        return HttpResponses.error(request, HttpStatus.NOT_FOUND, null);
    }

    /** Called once the server's connection threads have ended: stops the idle reaper. */
    @Override
    public void close() {
        reaper.close();
    }

    /**
     * Ends the connection after an answer that closes it, by the closing rule
     * ({@link LingeringClose}): send it and a FIN, then read and discard what the client still
     * sends until it closes too, for a bounded time and byte count. Closing with unread bytes in
     * the socket would send a reset, which fails a client still sending its request and can
     * destroy the answer before the client reads it.
     */
    private static void closeAfterAnswer(SocketChannel channel, PendingAnswers answers,
                                         GrowingReadBuffer in, ServerCounters counters) throws IOException {
        answers.flush();
        byte[] scratch = in.toReadInto();
        channel.shutdownOutput();
        long deadline = System.nanoTime() + LingeringClose.DRAIN_TIME.toNanos();
        long bytesLeft = LingeringClose.DRAIN_BYTES;
        try {
            // Timed reads through the socket's stream: a connection ends here only once.
            Socket socket = channel.socket();
            InputStream stream = socket.getInputStream();
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0 && bytesLeft > 0) {
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                int read = stream.read(scratch);
                if (read < 0) {
                    return; // the client closed too
                }
                counters.bytesRead(read);
                bytesLeft -= read;
            }
        } catch (IOException timeoutOrReset) {
            // The answer is out; whatever the client does now changes nothing.
        }
    }
}
