package io.asyncbench.api.http;

import io.asyncbench.api.Limits;
import java.nio.ByteBuffer;
import java.util.Arrays;

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
 * and headers are copied into one reusable array. It starts at {@link #FIRST_HEAD_SIZE}, which
 * holds the heads of common clients, and doubles when a head needs more, up to
 * {@link Limits#maxHeaderBytes()}: a parser waiting for its connection's next request (every idle
 * keep-alive connection has one) holds little. Nothing else is allocated per request but the
 * returned {@link HttpRequest} (and its body, if any).
 * After an {@link HttpException} the stream cannot be trusted: answer the status and close.
 */
public final class HttpRequestParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] NO_BODY = new byte[0];
    private static final HttpMethod[] METHODS = HttpMethod.values();
    /** {@link #version} results besides 10 (HTTP/1.0) and 11 (HTTP/1.1). */
    private static final int MISCASED_1X = -1;
    private static final int OTHER_VERSION = -2;
    /** The head array's first size; a larger head grows it (and it stays grown). */
    static final int FIRST_HEAD_SIZE = 512;

    /** RFC 9110 tchar, by US-ASCII code: one load per byte of every method and header name. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private final int maxFanOut;
    private byte[] head;
    private AsciiSlice slice;
    private int headLength;
    private int scannedTo;
    /** Index of the LF ending the request line once {@link #findEndOfHead} saw it, else -1. */
    private int requestLineEnd = -1;
    /** Bytes skipped before the request line: they count toward maxHeaderBytes. */
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
        this.head = new byte[Math.min(FIRST_HEAD_SIZE, maxHeaderBytes)];
        this.slice = new AsciiSlice(head);
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
            // RFC 9112 section 2.2: ignore empty lines before the request line (like Netty's codec,
            // any whitespace and control characters there too), but count them: else a client
            // streams line breaks forever and is never refused.
            while (input.hasRemaining() && isSkippedBeforeRequestLine(input.get(input.position()))) {
                input.get();
                if (++leadingBlankBytes >= maxHeaderBytes) {
                    throw tooLarge();
                }
            }
        }
        int end;
        while ((end = copyAndFindEndOfHead(input)) < 0) {
            if (leadingBlankBytes + headLength == maxHeaderBytes) {
                throw tooLarge();
            }
            if (!input.hasRemaining()) {
                return false;
            }
            head = Arrays.copyOf(head, Math.min(2 * head.length, maxHeaderBytes)); // full, and more is there
            slice = new AsciiSlice(head);
        }
        // Give back what belongs to the body or to the next pipelined request.
        input.position(input.position() - (headLength - end));
        headLength = end;
        pendingHead = parseHead(end);
        headLength = 0;
        leadingBlankBytes = 0;
        scannedTo = 0;
        requestLineEnd = -1;
        return true;
    }

    /**
     * Copies as much of {@code input} as the head array has room for (and the limit allows), and
     * returns where the head ends, or -1.
     */
    private int copyAndFindEndOfHead(ByteBuffer input) throws HttpException {
        int room = Math.min(head.length, maxHeaderBytes - leadingBlankBytes) - headLength;
        int copied = Math.min(room, input.remaining());
        input.get(head, headLength, copied);
        headLength += copied;
        return findEndOfHead();
    }

    private HttpException tooLarge() {
        return new HttpException(HttpStatus.HEADER_FIELDS_TOO_LARGE,
                "request line and headers, and the blank lines before them, exceed " + maxHeaderBytes + " bytes");
    }

    /**
     * Index just past the blank line ending the head, or -1. Accepts CRLF and bare LF. The same pass
     * refuses the control characters a head may not hold (RFC 9110 section 5.5, RFC 9112 section 3):
     * any but HTAB, and a CR not followed by LF; in the request line VT, FF and a bare CR separate
     * words like SP.
     */
    private int findEndOfHead() throws HttpException {
        for (int i = scannedTo; i < headLength; i++) {
            byte b = head[i];
            if ((b & 0xe0) != 0 && b != 0x7f) {
                continue; // the common case: a visible character, SP or obs-text
            }
            if (b == LF) {
                if (head[i - 1] == LF || head[i - 1] == CR && head[i - 2] == LF) {
                    return i + 1;
                }
                if (requestLineEnd < 0) {
                    requestLineEnd = i;
                }
            } else if (b == CR) {
                if (i + 1 == headLength) {
                    scannedTo = i; // decided when the next byte arrives
                    return -1;
                }
                if (head[i + 1] != LF && requestLineEnd >= 0) {
                    throw bad("CR not followed by LF in a header field");
                }
            } else if (b != '\t' && (requestLineEnd >= 0 || (b != 0x0b && b != 0x0c))) {
                throw bad("control character 0x" + Integer.toHexString(b & 0xff) + " in the request head");
            }
        }
        scannedTo = headLength;
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

    /**
     * The request in a complete head. Syntax first (request line, header fields, framing), then
     * meaning (method, target, version, Host, query, size): the order in which Netty's codec and its
     * handler meet the same faults, so that a request with several gets one status from every strategy.
     */
    private HttpRequest parseHead(int end) throws HttpException {
        // Request line: method, target and version, split on whitespace as RFC 9112 section 3 allows.
        int lineEnd = requestLineEnd;
        int lineStop = trimCr(0, lineEnd);
        if (isSeparator(head[lineStop - 1])) {
            throw bad("whitespace at the end of the request line");
        }
        int methodEnd = nextSeparator(0, lineStop);
        int targetStart = skipSeparators(methodEnd, lineStop);
        int targetEnd = nextSeparator(targetStart, lineStop);
        int versionStart = skipSeparators(targetEnd, lineStop);
        if (versionStart == lineStop) {
            throw bad("malformed request line");
        }
        int version = version(versionStart, lineStop);
        for (int i = 0; i < methodEnd; i++) {
            if (!isTokenChar(head[i])) {
                throw bad("invalid character in method");
            }
        }

        // Header fields.
        long contentLength = -1;
        boolean close = false;
        boolean keepAlive = false;
        boolean expectContinue = false;
        boolean transferEncoding = false;
        int chunked = 0;
        boolean chunkedLast = false;
        int hosts = 0;
        int hostStart = 0;
        int hostStop = 0;
        int lineStart = lineEnd + 1;
        while (true) {
            int next = lineEnd(lineStart, end);
            int valueEnd = trimCr(lineStart, next);
            if (valueEnd == lineStart) {
                break; // the blank line
            }
            byte first = head[lineStart];
            if (first == ' ' || first == '\t') {
                // RFC 9112 section 2.2 (a fold is taken with the field it continues, below).
                throw bad("whitespace between the request line and the first header field");
            }
            int colon = indexOf((byte) ':', lineStart, valueEnd);
            if (colon <= lineStart) {
                throw bad("header line without a name and colon");
            }
            for (int i = lineStart; i < colon; i++) {
                if (!isTokenChar(head[i])) {
                    throw bad("invalid character in header name");
                }
            }
            // obs-fold: lines starting with SP or HTAB continue the field. RFC 9112 section 5.2 lets
            // a server replace each fold with spaces; a fold cannot start a value (Netty's codec
            // makes such a value start with a space, which its validation refuses).
            while (isBlank(head[next + 1])) {
                if (skipBlanks(colon + 1, valueEnd) == valueEnd) {
                    throw bad("obsolete line folding at the start of a header value");
                }
                head[next] = ' ';
                if (head[next - 1] == CR) {
                    head[next - 1] = ' ';
                }
                next = lineEnd(next + 1, end);
                valueEnd = trimCr(lineStart, next);
            }
            int valueStart = skipBlanks(colon + 1, valueEnd);
            int valueStop = valueEnd;
            while (valueStop > valueStart && isBlank(head[valueStop - 1])) {
                valueStop--;
            }
            switch (colon - lineStart) {
                case 4 -> {
                    if (nameIs("host", lineStart, colon)) {
                        hosts++;
                        hostStart = valueStart;
                        hostStop = valueStop;
                    }
                }
                case 6 -> {
                    if (nameIs("expect", lineStart, colon)) {
                        expectContinue = equalsIgnoreCase("100-continue", valueStart, valueStop);
                    }
                }
                case 10 -> {
                    if (nameIs("connection", lineStart, colon)) {
                        close |= containsToken("close", valueStart, valueStop);
                        keepAlive |= containsToken("keep-alive", valueStart, valueStop);
                    }
                }
                case 14 -> {
                    if (nameIs("content-length", lineStart, colon)) {
                        if (contentLength >= 0) {
                            // RFC 9110 section 8.6 lets a recipient refuse even equal duplicates.
                            throw bad("more than one Content-Length");
                        }
                        contentLength = contentLength(valueStart, valueStop);
                    }
                }
                case 17 -> {
                    if (nameIs("transfer-encoding", lineStart, colon)) {
                        transferEncoding = true;
                        for (int coding = valueStart; coding < valueStop; ) {
                            int comma = indexOf((byte) ',', coding, valueStop);
                            int stop = comma < 0 ? valueStop : comma;
                            int a = skipBlanks(coding, stop);
                            int b = stop;
                            while (b > a && isBlank(head[b - 1])) {
                                b--;
                            }
                            if (a < b) {
                                chunkedLast = equalsIgnoreCase("chunked", a, b);
                                chunked += chunkedLast ? 1 : 0;
                            }
                            coding = stop + 1;
                        }
                    }
                }
                default -> {
                    // a field this subset does not interpret
                }
            }
            lineStart = next + 1;
        }
        if (transferEncoding && (version != 11 || contentLength >= 0 || chunked != 1 || !chunkedLast)) {
            // RFC 9112 section 6.1: framing a server must refuse, not just decline to decode.
            throw bad("Transfer-Encoding must be a final chunked coding, in HTTP/1.1, without Content-Length");
        }

        // Meaning.
        HttpMethod method = method(methodEnd);
        if (method == null) {
            throw new HttpException(HttpStatus.NOT_IMPLEMENTED, "unknown method");
        }
        CharSequence target = slice.of(targetStart, targetEnd);
        Endpoint endpoint = HttpSyntax.endpoint(target);
        if (version == MISCASED_1X) {
            throw bad("the HTTP version is case-sensitive: HTTP/1.0 or HTTP/1.1");
        }
        if (version == OTHER_VERSION) {
            throw new HttpException(HttpStatus.VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1");
        }
        boolean http10 = version == 10;
        if (transferEncoding) {
            throw new HttpException(HttpStatus.NOT_IMPLEMENTED,
                    "Transfer-Encoding request bodies are not accepted; send Content-Length");
        }
        if (hosts > 1 || hosts == 0 && !http10
                || hosts == 1 && !HttpSyntax.isValidHost(slice.of(hostStart, hostStop))) {
            throw bad("HTTP/1.1 needs exactly one valid Host header, HTTP/1.0 at most one");
        }
        int delayMs = 0;
        int fanout = 0;
        if (endpoint == Endpoint.DELAY || endpoint == Endpoint.FANOUT) {
            target = slice.of(targetStart, targetEnd);
            delayMs = HttpSyntax.queryParameter(target, "ms", 0, 60_000);
            if (endpoint == Endpoint.FANOUT) {
                fanout = HttpSyntax.queryParameter(target, "k", 1, maxFanOut);
            }
        }
        if (contentLength > maxBodyBytes) {
            throw new HttpException(HttpStatus.CONTENT_TOO_LARGE,
                    "body of " + contentLength + " bytes exceeds " + maxBodyBytes);
        }
        if (contentLength > 0) {
            body = new byte[(int) contentLength];
            // RFC 9110 section 10.1.1: an HTTP/1.0 request's 100-continue is ignored.
            continueRequested = expectContinue && !http10;
        }
        boolean persistent = http10 ? keepAlive && !close : !close;
        return new HttpRequest(method, endpoint, http10, persistent, delayMs, fanout, NO_BODY);
    }

    /** The method named by head[0, end), or null for an unknown one. */
    private HttpMethod method(int end) {
        for (HttpMethod method : METHODS) {
            String name = method.name();
            if (name.length() == end && asciiEquals(name, 0, end)) {
                return method;
            }
        }
        return null;
    }

    /**
     * 10 for HTTP/1.0, 11 for HTTP/1.1, {@link #MISCASED_1X} for either in another case,
     * {@link #OTHER_VERSION} for any other {@code HTTP/<digit>.<digit>} (its name in any case).
     *
     * @throws HttpException 400 for anything else
     */
    private int version(int from, int to) throws HttpException {
        if (to - from == 8 && head[from + 6] == '.' && isDigit(head[from + 5]) && isDigit(head[from + 7])
                && equalsIgnoreCase("http/", from, from + 5)) {
            int number = (head[from + 5] - '0') * 10 + head[from + 7] - '0';
            if (number != 10 && number != 11) {
                return OTHER_VERSION;
            }
            return asciiEquals("HTTP/", from, from + 5) ? number : MISCASED_1X;
        }
        throw bad("malformed HTTP version");
    }

    private long contentLength(int from, int to) throws HttpException {
        if (from == to) {
            throw bad("malformed Content-Length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(head[i]) || value > (Long.MAX_VALUE - 9) / 10) {
                throw bad("malformed Content-Length");
            }
            value = value * 10 + (head[i] - '0');
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

    /** Before a request line: SP and the controls (Netty's codec skips the same). */
    private static boolean isSkippedBeforeRequestLine(byte b) {
        return (b & 0xff) <= ' ' || b == 0x7f;
    }

    /** A word separator in the request line: SP, HTAB, VT, FF or CR (the head holds no other controls). */
    private static boolean isSeparator(byte b) {
        return b >= 0 && b <= ' ';
    }

    private int nextSeparator(int from, int to) {
        int i = from;
        while (i < to && !isSeparator(head[i])) {
            i++;
        }
        return i;
    }

    private int skipSeparators(int from, int to) {
        int i = from;
        while (i < to && isSeparator(head[i])) {
            i++;
        }
        return i;
    }

    private int skipBlanks(int from, int to) {
        int i = from;
        while (i < to && isBlank(head[i])) {
            i++;
        }
        return i;
    }

    private static HttpException bad(String detail) {
        return new HttpException(HttpStatus.BAD_REQUEST, detail);
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(byte b) {
        return b >= 0 && TCHAR[b];
    }
}
