package io.asyncbench.netty.support;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Where each request head of a connection starts, seen in front of the HTTP decoder where the
 * bytes are still bytes, and the blank lines before its request line (which the decoder skips
 * without counting): the bookkeeping of a head deadline, whatever clock times it
 * ({@link NettyHeadDeadline}, or a strategy's own timer that also keeps the idle timeout).
 *
 * <p>A read that arrives while no request is under way opens a head; the handler behind the
 * decoder ends it when the decoder decodes that head ({@link #headEnded}) and frees the line for
 * the next one when the request's last content arrives ({@link #requestEnded}). Blank lines are
 * counted where a read begins with them (a look at one byte otherwise), up to {@code maxHeaderBytes}.
 *
 * <p>The decoder does not say where within a read one request ends and the next begins, so a head
 * that begins in the same read as the end of the request before it opens at the next read, and
 * blank lines in the middle of a read are not counted (at most one read of them).
 */
public final class NettyHeadStart {

    /** What HttpObjectDecoder skips before a request line (and the api parser with it). */
    private static final ByteProcessor SKIPPED_BEFORE_REQUEST_LINE = NettyHeadStart::isSkippedBeforeRequestLine;

    private final int maxHeaderBytes;
    private boolean headOpen;
    private boolean openedThisRead;
    private boolean inBody;
    private boolean stopped;
    /** Bytes before the request line of the head under way, and whether only those came yet. */
    private int blankBytes;
    private boolean blankSoFar;

    public NettyHeadStart(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /**
     * A message read in front of the decoder. False if it brought the blank lines before a request
     * line to the header limit: it is then not for the decoder (the caller releases it and
     * refuses the connection with 431, as the shared parser does).
     */
    public boolean read(Object msg) {
        if (stopped || inBody || !(msg instanceof ByteBuf bytes) || !bytes.isReadable()) {
            return true;
        }
        if (!headOpen) {
            headOpen = true;
            openedThisRead = true;
            blankSoFar = true;
            blankBytes = 0;
        }
        return !blankSoFar || countBlankLines(bytes);
    }

    private static boolean isSkippedBeforeRequestLine(byte b) {
        return (b & 0xff) <= ' ' || b == 0x7f;
    }

    /**
     * Counts the bytes before a request line this read begins with (line breaks, and like the
     * decoder, which skips them, any whitespace or control character); false once they reach the
     * header limit.
     */
    private boolean countBlankLines(ByteBuf bytes) {
        if (!isSkippedBeforeRequestLine(bytes.getByte(bytes.readerIndex()))) {
            blankSoFar = false;
            return true;
        }
        int end = bytes.forEachByte(SKIPPED_BEFORE_REQUEST_LINE);
        blankSoFar = end < 0;
        blankBytes += (end < 0 ? bytes.writerIndex() : end) - bytes.readerIndex();
        return blankBytes < maxHeaderBytes;
    }

    /** The read ended: true if it opened a head that is still unfinished, whose clock starts now. */
    public boolean readComplete() {
        boolean started = openedThisRead && headOpen;
        openedThisRead = false;
        return started;
    }

    /** A head is under way: its first bytes came, the decoder has not decoded it yet. */
    public boolean headOpen() {
        return headOpen;
    }

    /** A head opened in the read under way, whose end has not come yet. */
    public boolean openedThisRead() {
        return openedThisRead;
    }

    /**
     * The decoder decoded a request head: its body, if any, is not a head. Returns the blank bytes
     * counted before it, which count toward the header limit ({@link NettyRequestHead#addBlankLines}).
     */
    public int headEnded() {
        headOpen = false;
        inBody = true;
        int blank = blankBytes;
        blankBytes = 0;
        return blank;
    }

    /** The request's last content: the next byte begins a head. */
    public void requestEnded() {
        inBody = false;
    }

    /** Nothing more is read as requests (the connection is closing): no head opens from now on. */
    public void stop() {
        stopped = true;
        headOpen = false;
    }
}
