package io.asyncbench.api.http;

import io.asyncbench.api.Limits;
import java.nio.ByteBuffer;

/**
 * An incremental HTTP/1.1 request parser that any IO style can feed: hand it whatever bytes have
 * arrived, in pieces of any size, and it returns each request once it is complete. One parser per
 * connection; not thread-safe.
 *
 * <pre>
 *   HttpRequestParser parser = new HttpRequestParser(limits);
 *   on bytes:  HttpRequest request;
 *              while ((request = parser.parse(buffer)) != null) { answer(request); }
 *              if (parser.takeContinueRequest()) { write(HttpResponses.CONTINUE); }
 * </pre>
 *
 * <p>{@link #parse} consumes at most one request from the buffer and leaves the rest for the next
 * call, which is what makes pipelining (several requests in one read) simply a loop. Request line
 * and headers are copied into one reusable array bounded by {@link Limits#maxHeaderBytes()};
 * nothing else is allocated per request but the returned {@link HttpRequest} (and its body, if any).
 * After an {@link HttpException} the stream cannot be trusted: answer the status and close.
 */
public final class HttpRequestParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] NO_BODY = new byte[0];
    private static final int MAX_QUERY_DIGITS = 9;

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private final int maxFanOut;
    private final byte[] head;
    private int headLength;
    private int scannedTo;
    /** Blank lines skipped before the request line: they count toward maxHeaderBytes. */
    private int leadingBlankBytes;
    /** A request head began since {@link #takeHeadStarted} was last asked. */
    private boolean headStarted;

    private HttpRequest pendingHead;
    private byte[] body;
    private int bodyFilled;
    private boolean continueRequested;
    private boolean failed;

    public HttpRequestParser(Limits limits) {
        this.maxHeaderBytes = limits.maxHeaderBytes();
        this.maxBodyBytes = limits.maxBodyBytes();
        this.maxFanOut = limits.maxFanOut();
        this.head = new byte[maxHeaderBytes];
    }

    /**
     * Consumes bytes from {@code input} until one request is complete and returns it, or consumes
     * everything and returns null when more bytes are needed.
     *
     * @throws HttpException when the request cannot be served; the parser is then unusable
     */
    public HttpRequest parse(ByteBuffer input) throws HttpException {
        if (failed) {
            throw new IllegalStateException("the parser failed earlier; close the connection");
        }
        try {
            if (pendingHead == null && !readHead(input)) {
                return null;
            }
            return readBody(input);
        } catch (HttpException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * True once, right after the head of a request that sent {@code Expect: 100-continue} and whose
     * body has not fully arrived: the caller should then write {@link HttpResponses#CONTINUE}.
     */
    public boolean takeContinueRequest() {
        boolean requested = continueRequested;
        continueRequested = false;
        return requested;
    }

    /** True when no part of a request is buffered: the connection is between requests. */
    public boolean isIdle() {
        return headLength == 0 && leadingBlankBytes == 0 && pendingHead == null;
    }

    /**
     * True while part of a request head (a blank line before it included) has been consumed and
     * its end has not: the time {@link io.asyncbench.api.Limits#headDeadline()} bounds.
     */
    public boolean isReadingHead() {
        return pendingHead == null && (headLength > 0 || leadingBlankBytes > 0);
    }

    /**
     * True once when a request head began in the bytes parsed since the last call and is still
     * being read: the caller notes the time, against which it checks the head deadline whenever
     * its idle timer looks at the connection. A head that began and ended in between does not
     * count, so a client sending whole requests costs no clock reading.
     */
    public boolean takeHeadStarted() {
        boolean started = headStarted && isReadingHead();
        headStarted = false;
        return started;
    }

    private boolean readHead(ByteBuffer input) throws HttpException {
        if (headLength == 0) {
            if (leadingBlankBytes == 0 && input.hasRemaining()) {
                headStarted = true;
            }
            // RFC 9112 section 2.2: ignore empty lines before the request line, but count them:
            // else a client streams line breaks forever and is never refused.
            while (input.hasRemaining() && isLineBreak(input.get(input.position()))) {
                input.get();
                if (++leadingBlankBytes >= maxHeaderBytes) {
                    throw tooLarge();
                }
            }
        }
        int room = maxHeaderBytes - leadingBlankBytes - headLength;
        int copied = Math.min(room, input.remaining());
        input.get(head, headLength, copied);
        headLength += copied;
        int end = findEndOfHead();
        if (end < 0) {
            if (leadingBlankBytes + headLength == maxHeaderBytes) {
                throw tooLarge();
            }
            return false;
        }
        // Give back what belongs to the body or to the next pipelined request.
        input.position(input.position() - (headLength - end));
        headLength = end;
        pendingHead = parseHead(end);
        headLength = 0;
        leadingBlankBytes = 0;
        scannedTo = 0;
        return true;
    }

    private HttpException tooLarge() {
        return new HttpException(HttpStatus.HEADER_FIELDS_TOO_LARGE,
                "request line and headers, and the blank lines before them, exceed " + maxHeaderBytes + " bytes");
    }

    /** Index just past the blank line ending the head, or -1. Accepts CRLF and bare LF. */
    private int findEndOfHead() {
        for (int i = Math.max(scannedTo, 1); i < headLength; i++) {
            if (head[i] == LF && (head[i - 1] == LF || (head[i - 1] == CR && i >= 2 && head[i - 2] == LF))) {
                return i + 1;
            }
        }
        scannedTo = Math.max(1, headLength);
        return -1;
    }

    private HttpRequest readBody(ByteBuffer input) {
        int wanted = body == null ? 0 : body.length;
        int take = Math.min(wanted - bodyFilled, input.remaining());
        if (take > 0) {
            input.get(body, bodyFilled, take);
            bodyFilled += take;
        }
        if (bodyFilled < wanted) {
            return null;
        }
        HttpRequest complete = body == null ? pendingHead : withBody(pendingHead, body);
        pendingHead = null;
        body = null;
        bodyFilled = 0;
        continueRequested = false;
        return complete;
    }

    private static HttpRequest withBody(HttpRequest request, byte[] body) {
        return new HttpRequest(request.method(), request.endpoint(), request.http10(),
                request.keepAlive(), request.delayMs(), request.fanout(), body);
    }

    private HttpRequest parseHead(int end) throws HttpException {
        // Request line: method SP request-target SP HTTP-version
        int lineEnd = lineEnd(0, end);
        int sp1 = indexOf((byte) ' ', 0, lineEnd);
        int sp2 = sp1 < 0 ? -1 : indexOf((byte) ' ', sp1 + 1, lineEnd);
        if (sp1 <= 0 || sp2 < 0 || indexOf((byte) ' ', sp2 + 1, lineEnd) >= 0) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "malformed request line");
        }
        HttpMethod method = method(sp1);
        int targetStart = sp1 + 1;
        if (sp2 == targetStart || head[targetStart] != '/') {
            throw new HttpException(HttpStatus.BAD_REQUEST, "request target must be an absolute path");
        }
        boolean http10 = version(sp2 + 1, trimCr(sp2 + 1, lineEnd));
        int query = indexOf((byte) '?', targetStart, sp2);
        for (int i = targetStart; i < sp2; i++) {
            if (head[i] <= ' ' || head[i] == 0x7f) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "control character in request target");
            }
        }
        Endpoint endpoint = Endpoint.match(head, targetStart, query < 0 ? sp2 : query);

        long contentLength = -1;
        boolean close = false;
        boolean keepAlive = false;
        boolean expectContinue = false;
        int lineStart = lineEnd + 1;
        while (true) {
            int next = lineEnd(lineStart, end);
            int valueEnd = trimCr(lineStart, next);
            if (valueEnd == lineStart) {
                break; // the blank line
            }
            byte first = head[lineStart];
            if (first == ' ' || first == '\t') {
                throw new HttpException(HttpStatus.BAD_REQUEST, "obsolete header line folding");
            }
            int colon = indexOf((byte) ':', lineStart, valueEnd);
            if (colon <= lineStart) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "header line without a name and colon");
            }
            for (int i = lineStart; i < colon; i++) {
                if (!isTokenChar(head[i])) {
                    throw new HttpException(HttpStatus.BAD_REQUEST, "invalid character in header name");
                }
            }
            int valueStart = colon + 1;
            while (valueStart < valueEnd && isBlank(head[valueStart])) {
                valueStart++;
            }
            int valueStop = valueEnd;
            while (valueStop > valueStart && isBlank(head[valueStop - 1])) {
                valueStop--;
            }
            if (nameIs("content-length", lineStart, colon)) {
                long length = contentLength(valueStart, valueStop);
                if (contentLength >= 0 && contentLength != length) {
                    throw new HttpException(HttpStatus.BAD_REQUEST, "conflicting Content-Length headers");
                }
                contentLength = length;
            } else if (nameIs("transfer-encoding", lineStart, colon)) {
                throw new HttpException(HttpStatus.NOT_IMPLEMENTED,
                        "Transfer-Encoding request bodies are not accepted; send Content-Length");
            } else if (nameIs("connection", lineStart, colon)) {
                close |= containsToken("close", valueStart, valueStop);
                keepAlive |= containsToken("keep-alive", valueStart, valueStop);
            } else if (nameIs("expect", lineStart, colon)) {
                expectContinue = equalsIgnoreCase("100-continue", valueStart, valueStop);
            }
            lineStart = next + 1;
        }

        int delayMs = 0;
        int fanout = 0;
        if (endpoint == Endpoint.DELAY || endpoint == Endpoint.FANOUT) {
            int queryStart = query < 0 ? sp2 : query + 1;
            delayMs = queryParameter("ms", queryStart, sp2, 0, 60_000);
            if (endpoint == Endpoint.FANOUT) {
                fanout = queryParameter("k", queryStart, sp2, 1, maxFanOut);
            }
        }
        if (contentLength > maxBodyBytes) {
            throw new HttpException(HttpStatus.CONTENT_TOO_LARGE,
                    "body of " + contentLength + " bytes exceeds " + maxBodyBytes);
        }
        if (contentLength > 0) {
            body = new byte[(int) contentLength];
            continueRequested = expectContinue;
        }
        boolean persistent = http10 ? keepAlive && !close : !close;
        return new HttpRequest(method, endpoint, http10, persistent, delayMs, fanout, NO_BODY);
    }

    private HttpMethod method(int end) throws HttpException {
        for (int i = 0; i < end; i++) {
            if (!isTokenChar(head[i])) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "invalid character in method");
            }
        }
        for (HttpMethod method : HttpMethod.values()) {
            String name = method.name();
            if (name.length() == end && asciiEquals(name, 0, end)) {
                return method;
            }
        }
        throw new HttpException(HttpStatus.NOT_IMPLEMENTED, "unknown method");
    }

    /** Returns true for HTTP/1.0, false for HTTP/1.1. */
    private boolean version(int from, int to) throws HttpException {
        if (to - from == 8 && asciiEquals("HTTP/1.", from, from + 7)) {
            if (head[from + 7] == '1') {
                return false;
            }
            if (head[from + 7] == '0') {
                return true;
            }
        }
        if (to - from == 8 && asciiEquals("HTTP/", from, from + 5) && isDigit(head[from + 5])
                && head[from + 6] == '.' && isDigit(head[from + 7])) {
            throw new HttpException(HttpStatus.VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1");
        }
        throw new HttpException(HttpStatus.BAD_REQUEST, "malformed HTTP version");
    }

    private long contentLength(int from, int to) throws HttpException {
        if (from == to || to - from > 18) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "malformed Content-Length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(head[i])) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "malformed Content-Length");
            }
            value = value * 10 + (head[i] - '0');
        }
        return value;
    }

    /** The decimal value of {@code name=} in the query; 400 if missing, malformed or out of range. */
    private int queryParameter(String name, int from, int to, int min, int max) throws HttpException {
        int value = -1;
        int pair = from;
        while (pair < to) {
            int pairEnd = indexOf((byte) '&', pair, to);
            pairEnd = pairEnd < 0 ? to : pairEnd;
            int eq = pair + name.length();
            if (eq < pairEnd && head[eq] == '=' && asciiEquals(name, pair, eq)) {
                int digits = pairEnd - eq - 1;
                if (digits < 1 || digits > MAX_QUERY_DIGITS) {
                    throw new HttpException(HttpStatus.BAD_REQUEST, "malformed query parameter " + name);
                }
                value = 0;
                for (int i = eq + 1; i < pairEnd; i++) {
                    if (!isDigit(head[i])) {
                        throw new HttpException(HttpStatus.BAD_REQUEST, "malformed query parameter " + name);
                    }
                    value = value * 10 + (head[i] - '0');
                }
            }
            pair = pairEnd + 1;
        }
        if (value < min || value > max) {
            throw new HttpException(HttpStatus.BAD_REQUEST,
                    "query parameter " + name + " must be between " + min + " and " + max);
        }
        return value;
    }

    private int lineEnd(int from, int end) {
        int lf = indexOf(LF, from, end);
        return lf < 0 ? end : lf;
    }

    private int trimCr(int from, int lf) {
        return lf > from && head[lf - 1] == CR ? lf - 1 : lf;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean nameIs(String lowerCaseName, int from, int to) {
        return to - from == lowerCaseName.length() && equalsIgnoreCase(lowerCaseName, from, to);
    }

    private boolean equalsIgnoreCase(String lowerCase, int from, int to) {
        if (to - from != lowerCase.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (toLower(head[i]) != lowerCase.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    private boolean containsToken(String lowerCaseToken, int from, int to) {
        int start = from;
        while (start < to) {
            int comma = indexOf((byte) ',', start, to);
            int stop = comma < 0 ? to : comma;
            int a = start;
            int b = stop;
            while (a < b && isBlank(head[a])) {
                a++;
            }
            while (b > a && isBlank(head[b - 1])) {
                b--;
            }
            if (equalsIgnoreCase(lowerCaseToken, a, b)) {
                return true;
            }
            start = stop + 1;
        }
        return false;
    }

    private boolean asciiEquals(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] != text.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    private static int toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isLineBreak(byte b) {
        return b == CR || b == LF;
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(byte b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || isDigit(b)) {
            return true;
        }
        return switch (b) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }
}
