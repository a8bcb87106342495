package io.asyncbench.api.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A response of this subset, ready to encode into whatever buffer a strategy writes from.
 *
 * @param status      the status
 * @param contentType the body's type
 * @param body        the body; shared constants for the fixed endpoints, never modified
 * @param close       true to send {@code Connection: close} and close after writing
 * @param keepAlive10 true to send {@code Connection: keep-alive} (an HTTP/1.0 client that asked)
 * @param allow       for 405, the method the path takes (an Allow header), else null
 * @param headOnly    true when answering HEAD: the head announces the body's Content-Length, but
 *                    the body is not sent (RFC 9110 section 9.3.2), or a keep-alive client desyncs
 */
public record HttpResponse(HttpStatus status, ContentType contentType, byte[] body, boolean close,
                           boolean keepAlive10, HttpMethod allow, boolean headOnly) {

    private static final byte[] SERVER = "Server: asyncbench\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALLOW = "Allow: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_KEEP_ALIVE =
            "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    /** Bytes {@link #encodeTo} will write (the Date line has one length: no clock is read here). */
    public int encodedLength() {
        int length = status.statusLine().length + SERVER.length + HttpDate.LINE_LENGTH
                + contentType.headerLine().length + CONTENT_LENGTH.length + digits(body.length)
                + CRLF.length + CRLF.length + (headOnly ? 0 : body.length);
        if (allow != null) {
            length += ALLOW.length + allow.name().length() + CRLF.length;
        }
        if (close) {
            length += CONNECTION_CLOSE.length;
        } else if (keepAlive10) {
            length += CONNECTION_KEEP_ALIVE.length;
        }
        return length;
    }

    /** Writes head and body into {@code out}, which must have {@link #encodedLength()} bytes free. */
    public void encodeTo(ByteBuffer out) {
        out.put(status.statusLine()).put(SERVER).put(HttpDate.headerLine())
                .put(contentType.headerLine()).put(CONTENT_LENGTH);
        putDecimal(out, body.length);
        out.put(CRLF);
        if (allow != null) {
            out.put(ALLOW).put(allow.name().getBytes(StandardCharsets.US_ASCII)).put(CRLF);
        }
        if (close) {
            out.put(CONNECTION_CLOSE);
        } else if (keepAlive10) {
            out.put(CONNECTION_KEEP_ALIVE);
        }
        out.put(CRLF);
        if (!headOnly) {
            out.put(body);
        }
    }

    /** The whole response as a new array. */
    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(encodedLength());
        encodeTo(out);
        return out.array();
    }

    private static int digits(int value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /**
     * Writes {@code value}'s digits, last first: a division by the constant 10 compiles to a
     * multiply and a shift, where dividing by a power of ten that varies took a real division per
     * digit (7 % of the selector's CPU in pipelined http).
     */
    private static void putDecimal(ByteBuffer out, int value) {
        int end = out.position() + digits(value);
        int at = end;
        do {
            out.put(--at, (byte) ('0' + value % 10));
            value /= 10;
        } while (value != 0);
        out.position(end);
    }
}
