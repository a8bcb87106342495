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
        String text = new String(head, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw malformed("malformed status line: " + lines[0]);
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw malformed("malformed status code: " + lines[0]);
        }
        long contentLength = -1;
        headers = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw malformed("malformed header line: " + lines[i]);
            }
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw malformed("malformed Content-Length: " + value);
                }
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close");
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                throw malformed("Transfer-Encoding responses are not part of this subset");
            }
        }
        if (status == 100) {
            return 0; // interim response: no body; the caller parses again for the final one
        }
        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 8) {
            throw malformed("missing or unusable Content-Length");
        }
        return (int) contentLength;
    }

    private static HttpException malformed(String detail) {
        return new HttpException(HttpStatus.BAD_GATEWAY, detail);
    }
}
