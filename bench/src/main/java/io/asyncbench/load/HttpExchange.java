package io.asyncbench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 keep-alive: a batch is {@code pipeline} copies of one GET request written back to back
 * (wrk's pipelining; TechEmpower's plaintext test uses 16), answered in order. Each response is
 * checked as the spec in {@code io.asyncbench.api.http} requires: status line {@code HTTP/1.1 200},
 * {@code Content-Type} and {@code Content-Length} exactly as expected, {@code Server} and
 * {@code Date} present, no {@code Connection: close}, no {@code Transfer-Encoding}, and a body equal
 * byte for byte to the expected one. Header names are compared case-insensitively (Netty writes
 * them in lower case); nothing else is tolerated.
 *
 * <p>The parser is allocation-free: the head is copied into a fixed array and scanned in place.
 */
final class HttpExchange implements Exchange {

    /** The most head bytes a response may have; the spec's responses have about 130. */
    static final int MAX_HEAD = 8 * 1024;

    private static final byte[] HTTP11_200 = ascii("HTTP/1.1 200");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] CONTENT_TYPE = ascii("content-type");
    private static final byte[] SERVER = ascii("server");
    private static final byte[] DATE = ascii("date");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] ASYNCBENCH = ascii("asyncbench");

    private final ByteBuffer batch;
    private final int pipeline;
    private final byte[] contentType;
    private final byte[] body;
    private final ByteBuffer expectedBody;

    private final byte[] head = new byte[MAX_HEAD];
    private int headLength;
    private boolean inBody;
    private int bodyReceived;
    private int repliesDone;
    private long responses;

    /**
     * @param request     one request, e.g. {@code GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n}
     * @param pipeline    requests per batch
     * @param contentType the media type every response must declare, e.g. {@code text/plain}
     * @param body        the body every response must carry
     */
    HttpExchange(byte[] request, int pipeline, String contentType, byte[] body) {
        if (pipeline < 1) {
            throw new IllegalArgumentException("pipeline depth must be at least 1: " + pipeline);
        }
        this.pipeline = pipeline;
        byte[] all = new byte[request.length * pipeline];
        for (int i = 0; i < pipeline; i++) {
            System.arraycopy(request, 0, all, i * request.length, request.length);
        }
        this.batch = ByteBuffer.wrap(all);
        this.contentType = ascii(contentType);
        this.body = body.clone();
        this.expectedBody = ByteBuffer.wrap(this.body);
        this.repliesDone = pipeline; // no batch in flight yet
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public ByteBuffer nextBatch() {
        repliesDone = 0;
        return batch.clear();
    }

    @Override
    public int batchSize() {
        return pipeline;
    }

    @Override
    public boolean batchComplete() {
        return repliesDone == pipeline;
    }

    @Override
    public String progress() {
        String where = inBody ? bodyReceived + " of " + body.length + " body bytes"
                : headLength + " head bytes";
        return "response " + (repliesDone + 1) + " of " + pipeline + " in the batch (" + where + ")";
    }

    @Override
    public int consume(ByteBuffer in) throws LoadException {
        int completed = 0;
        while (in.hasRemaining()) {
            if (repliesDone == pipeline) {
                throw new LoadException("the server sent " + in.remaining() + " bytes after the "
                        + pipeline + " response(s) it was asked for: "
                        + printable(in, Math.min(in.remaining(), 80)));
            }
            if (!inBody) {
                if (!readHead(in)) {
                    return completed;
                }
                checkHead();
                inBody = true;
                bodyReceived = 0;
            }
            int n = Math.min(in.remaining(), body.length - bodyReceived);
            if (n > 0) {
                int limit = in.limit();
                in.limit(in.position() + n);
                expectedBody.limit(bodyReceived + n).position(bodyReceived);
                int at = in.mismatch(expectedBody);
                if (at >= 0) {
                    throw new LoadException(String.format("response %d: body byte %d is 0x%02x, "
                            + "expected 0x%02x ('%s')", responses + 1, bodyReceived + at,
                            in.get(in.position() + at) & 0xff, body[bodyReceived + at] & 0xff,
                            new String(body, StandardCharsets.ISO_8859_1)));
                }
                in.position(in.position() + n).limit(limit);
                bodyReceived += n;
            }
            if (bodyReceived == body.length) {
                inBody = false;
                headLength = 0;
                repliesDone++;
                responses++;
                completed++;
            }
        }
        return completed;
    }

    /** Copies head bytes until the blank line; true once the whole head is in {@link #head}. */
    private boolean readHead(ByteBuffer in) throws LoadException {
        while (in.hasRemaining()) {
            if (headLength == head.length) {
                throw new LoadException("response " + (responses + 1) + ": head larger than "
                        + head.length + " bytes");
            }
            byte b = in.get();
            head[headLength++] = b;
            if (b == '\n' && headLength >= 4 && head[headLength - 2] == '\r'
                    && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                return true;
            }
        }
        return false;
    }

    /** The head in {@code head[0, headLength)}, ending with CRLF CRLF, must be the expected one. */
    private void checkHead() throws LoadException {
        int lineEnd = indexOfCrlf(0);
        if (!startsWith(0, HTTP11_200) || (head[HTTP11_200.length] != ' ' && lineEnd != HTTP11_200.length)) {
            throw wrong("status line is '" + text(0, lineEnd) + "', expected 'HTTP/1.1 200 OK'");
        }
        boolean sawLength = false;
        boolean sawType = false;
        boolean sawServer = false;
        boolean sawDate = false;
        int line = lineEnd + 2;
        while (line < headLength - 2) {
            int end = indexOfCrlf(line);
            int colon = indexOf(':', line, end);
            if (colon < 0) {
                throw wrong("header line without a colon: '" + text(line, end) + "'");
            }
            int valueStart = colon + 1;
            while (valueStart < end && (head[valueStart] == ' ' || head[valueStart] == '\t')) {
                valueStart++;
            }
            int valueEnd = end;
            while (valueEnd > valueStart && (head[valueEnd - 1] == ' ' || head[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            if (nameIs(line, colon, CONTENT_LENGTH)) {
                sawLength = true;
                if (decimal(valueStart, valueEnd) != body.length) {
                    throw wrong("Content-Length is '" + text(valueStart, valueEnd) + "', expected "
                            + body.length);
                }
            } else if (nameIs(line, colon, CONTENT_TYPE)) {
                sawType = true;
                if (!equalsIgnoreCase(valueStart, valueEnd, contentType)) {
                    throw wrong("Content-Type is '" + text(valueStart, valueEnd) + "', expected '"
                            + new String(contentType, StandardCharsets.US_ASCII) + "'");
                }
            } else if (nameIs(line, colon, SERVER)) {
                sawServer = equalsIgnoreCase(valueStart, valueEnd, ASYNCBENCH);
                if (!sawServer) {
                    throw wrong("Server is '" + text(valueStart, valueEnd) + "', expected 'asyncbench'");
                }
            } else if (nameIs(line, colon, DATE)) {
                sawDate = valueEnd - valueStart == 29; // IMF-fixdate: "Wed, 25 Nov 2026 18:00:00 GMT"
                if (!sawDate) {
                    throw wrong("Date is '" + text(valueStart, valueEnd) + "', not an IMF-fixdate");
                }
            } else if (nameIs(line, colon, CONNECTION)) {
                if (equalsIgnoreCase(valueStart, valueEnd, CLOSE)) {
                    throw wrong("Connection: close on a keep-alive request");
                }
            } else if (nameIs(line, colon, TRANSFER_ENCODING)) {
                throw wrong("Transfer-Encoding '" + text(valueStart, valueEnd)
                        + "': this HTTP subset frames every body with Content-Length");
            }
            line = end + 2;
        }
        if (!sawLength || !sawType || !sawServer || !sawDate) {
            throw wrong("missing header(s):" + (sawLength ? "" : " Content-Length")
                    + (sawType ? "" : " Content-Type") + (sawServer ? "" : " Server")
                    + (sawDate ? "" : " Date"));
        }
    }

    private LoadException wrong(String what) {
        return new LoadException("response " + (responses + 1) + ": " + what + "; the head was:\n"
                + text(0, headLength));
    }

    private int indexOfCrlf(int from) {
        for (int i = from; i + 1 < headLength; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n') {
                return i;
            }
        }
        return headLength;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private boolean startsWith(int at, byte[] prefix) {
        if (headLength - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Header name {@code head[from, colon)} equals {@code lowerName}, ignoring case. */
    private boolean nameIs(int from, int colon, byte[] lowerName) {
        return equalsIgnoreCase(from, colon, lowerName);
    }

    private boolean equalsIgnoreCase(int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = head[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            int e = lower[i];
            if (e >= 'A' && e <= 'Z') {
                e += 'a' - 'A';
            }
            if (c != e) {
                return false;
            }
        }
        return true;
    }

    private long decimal(int from, int to) {
        if (from == to || to - from > 10) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (head[i] < '0' || head[i] > '9') {
                return -1;
            }
            value = value * 10 + (head[i] - '0');
        }
        return value;
    }

    private String text(int from, int to) {
        return new String(head, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }

    private static String printable(ByteBuffer in, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int b = in.get(in.position() + i) & 0xff;
            text.append(b >= 32 && b < 127 ? (char) b : '.');
        }
        return "'" + text + "'";
    }
}
