package io.asyncbench.load;

import io.asyncbench.api.http.ContentType;
import io.asyncbench.api.http.HttpResponse;
import io.asyncbench.api.http.HttpStatus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HTTP/1.1 keep-alive: a batch is {@code pipeline} copies of one GET request written back to back
 * (wrk's pipelining; TechEmpower's plaintext test uses 16), answered in order. Each response must
 * be exactly the bytes the spec in {@code io.asyncbench.api.http} encodes for it
 * ({@code HttpResponse.encode()}): status line, {@code Server}, {@code Date}, {@code Content-Type},
 * {@code Content-Length}, in that order and spelling, no other header, then the body. The one part
 * that cannot be known in advance, the {@code Date} value, must be a valid IMF-fixdate within
 * {@value #DATE_TOLERANCE_SECONDS} s of this client's clock. Nothing else is tolerated: an extra,
 * missing, reordered or differently spelled header fails the benchmark.
 *
 * <p>The check is allocation-free: the head is copied into a fixed array and compared in place.
 */
final class HttpExchange implements Exchange {

    /** The most head bytes a response may have; the spec's responses have about 130. */
    static final int MAX_HEAD = 8 * 1024;

    /** How far a reply's Date may be from this client's clock (the server formats it once a second). */
    static final long DATE_TOLERANCE_SECONDS = 2;

    private static final byte[] DATE_NAME = ascii("\r\nDate: ");

    private final ByteBuffer batch;
    private final int pipeline;
    private final byte[] expectedHead;
    private final int dateAt;
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
        this.body = body.clone();
        this.expectedHead = expectedHead(contentType, this.body);
        this.dateAt = indexOf(expectedHead, DATE_NAME) + DATE_NAME.length;
        this.expectedBody = ByteBuffer.wrap(this.body);
        this.repliesDone = pipeline; // no batch in flight yet
    }

    /** The head the spec's encoder writes for a keep-alive HTTP/1.1 200 with this body (any Date). */
    private static byte[] expectedHead(String mediaType, byte[] body) {
        ContentType type = null;
        for (ContentType t : ContentType.values()) {
            if (t.mediaType().equals(mediaType)) {
                type = t;
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("not a content type of the HTTP subset: " + mediaType);
        }
        byte[] whole = new HttpResponse(HttpStatus.OK, type, body, false, false, null, false).encode();
        return Arrays.copyOf(whole, whole.length - body.length);
    }

    private static int indexOf(byte[] in, byte[] what) {
        for (int i = 0; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new IllegalStateException("the encoder writes no Date header");
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

    /** The head in {@code head[0, headLength)} must be {@link #expectedHead}, Date aside. */
    private void checkHead() throws LoadException {
        int dateEnd = dateAt + ImfFixdate.LENGTH;
        int before = Arrays.mismatch(head, 0, Math.min(headLength, dateAt), expectedHead, 0, dateAt);
        if (before >= 0) {
            throw differs(before);
        }
        if (headLength < dateEnd) {
            throw differs(headLength);
        }
        int after = Arrays.mismatch(head, dateEnd, headLength, expectedHead, dateEnd, expectedHead.length);
        if (after >= 0) {
            throw differs(dateEnd + after);
        }
        long date = ImfFixdate.epochSecond(head, dateAt);
        if (date < 0) {
            throw wrong("Date is '" + text(dateAt, dateEnd) + "', not an IMF-fixdate");
        }
        long now = System.currentTimeMillis() / 1000;
        if (Math.abs(date - now) > DATE_TOLERANCE_SECONDS) {
            throw wrong("Date is '" + text(dateAt, dateEnd) + "', " + (date - now)
                    + " s from this client's clock (at most " + DATE_TOLERANCE_SECONDS + " s allowed)");
        }
    }

    /** The head differs from the expected one at byte {@code at}: name the line, show both. */
    private LoadException differs(int at) {
        int lineStart = at;
        while (lineStart > 0 && head[lineStart - 1] != '\n') {
            lineStart--;
        }
        int lineEnd = Math.min(indexOfCrlf(lineStart), headLength);
        String expected = new String(expectedHead, 0, dateAt, StandardCharsets.ISO_8859_1) + "<IMF-fixdate>"
                + new String(expectedHead, dateAt + ImfFixdate.LENGTH,
                        expectedHead.length - dateAt - ImfFixdate.LENGTH, StandardCharsets.ISO_8859_1);
        return wrong("head byte " + at + " differs from the specified response, in the line '"
                + text(lineStart, lineEnd) + "'; expected exactly:\n" + expected);
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
