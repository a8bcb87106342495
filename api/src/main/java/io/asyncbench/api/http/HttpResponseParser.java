package io.asyncbench.api.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client side: an incremental parser of this subset's responses, for the gateway's backend
 * calls and for load generators. Bodies must be framed by Content-Length (this subset never sends
 * chunked responses). One parser per connection; not thread-safe.
 */
public final class HttpResponseParser {

    /**
     * A parsed response. {@code close} is true when the server will close after it; {@code headers}
     * maps lower-case header names to their last value.
     */
    public record Response(int status, java.util.Map<String, String> headers, byte[] body, boolean close) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The value of a header (name in any case), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final byte[] head;
    private int headLength;
    private int status;
    private boolean close;
    private java.util.Map<String, String> headers = java.util.Map.of();
    private byte[] body;
    private int bodyFilled;

    public HttpResponseParser(int maxHeadBytes) {
        this.head = new byte[maxHeadBytes];
    }

    /**
     * Consumes bytes until one response is complete and returns it, or returns null when more
     * bytes are needed. Leaves the bytes of any following response in {@code input}.
     *
     * @throws HttpException (502) when the response is malformed or its head too large
     */
    public Response parse(ByteBuffer input) throws HttpException {
        if (body == null) {
            int copied = Math.min(head.length - headLength, input.remaining());
            input.get(head, headLength, copied);
            headLength += copied;
            int end = endOfHead();
            if (end < 0) {
                if (headLength == head.length) {
                    throw malformed("response head larger than " + head.length + " bytes");
                }
                return null;
            }
            input.position(input.position() - (headLength - end));
            body = new byte[parseHead(end)];
            headLength = 0;
        }
        int take = Math.min(body.length - bodyFilled, input.remaining());
        input.get(body, bodyFilled, take);
        bodyFilled += take;
        if (bodyFilled < body.length) {
            return null;
        }
        Response response = new Response(status, headers, body, close);
        body = null;
        bodyFilled = 0;
        close = false;
        return response;
    }

    /** True when no part of a response is buffered. */
    public boolean isIdle() {
        return headLength == 0 && body == null;
    }

    private int endOfHead() {
        for (int i = 3; i < headLength; i++) {
            if (head[i] == '\n' && head[i - 1] == '\r' && head[i - 2] == '\n' && head[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private int parseHead(int end) throws HttpException {
        // Byte-level: a gateway parses one of these per backend call, so no regex and no split.
        int lineEnd = lineEnd(0, end);
        if (lineEnd < 12 || !startsWith("HTTP/1.", 0) || head[8] != ' ') {
            throw malformed("malformed status line: " + text(0, lineEnd));
        }
        status = 0;
        for (int i = 9; i < 12; i++) {
            if (head[i] < '0' || head[i] > '9') {
                throw malformed("malformed status code: " + text(0, lineEnd));
            }
            status = status * 10 + (head[i] - '0');
        }
        long contentLength = -1;
        headers = new java.util.HashMap<>();
        int lineStart = lineEnd + 2;
        while (lineStart < end - 2) {
            int next = lineEnd(lineStart, end);
            int colon = indexOf((byte) ':', lineStart, next);
            if (colon <= lineStart) {
                throw malformed("malformed header line: " + text(lineStart, next));
            }
            String name = text(lineStart, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = text(colon + 1, next).trim();
            headers.put(name, value);
            switch (name) {
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw malformed("malformed Content-Length: " + value);
                    }
                }
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "transfer-encoding" -> throw malformed("Transfer-Encoding responses are not part of this subset");
                default -> { }
            }
            lineStart = next + 2;
        }
        if (status == 100) {
            return 0; // interim response: no body; the caller parses again for the final one
        }
        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 8) {
            throw malformed("missing or unusable Content-Length");
        }
        return (int) contentLength;
    }

    /** Index of the CR of the CRLF ending the line that starts at {@code from}. */
    private int lineEnd(int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n') {
                return i;
            }
        }
        return end;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean startsWith(String prefix, int at) {
        for (int i = 0; i < prefix.length(); i++) {
            if (head[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String text(int from, int to) {
        return new String(head, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }

    private static HttpException malformed(String detail) {
        return new HttpException(HttpStatus.BAD_GATEWAY, detail);
    }
}
