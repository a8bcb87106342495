package io.asyncbench.api.http;

import java.nio.charset.StandardCharsets;

/** The statuses this HTTP subset answers with, and whether the connection closes after each. */
public enum HttpStatus {
    CONTINUE(100, "Continue", false),
    OK(200, "OK", false),
    BAD_REQUEST(400, "Bad Request", true),
    NOT_FOUND(404, "Not Found", false),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed", false),
    REQUEST_TIMEOUT(408, "Request Timeout", true),
    CONTENT_TOO_LARGE(413, "Content Too Large", true),
    HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large", true),
    INTERNAL_SERVER_ERROR(500, "Internal Server Error", true),
    NOT_IMPLEMENTED(501, "Not Implemented", true),
    BAD_GATEWAY(502, "Bad Gateway", false),
    GATEWAY_TIMEOUT(504, "Gateway Timeout", false),
    VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported", true);

    private final int code;
    private final String reason;
    private final boolean closesConnection;
    private final byte[] statusLine;
    private final byte[] errorBody;

    HttpStatus(int code, String reason, boolean closesConnection) {
        this.code = code;
        this.reason = reason;
        this.closesConnection = closesConnection;
        this.statusLine = ("HTTP/1.1 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.errorBody = (code + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** True when the request stream can no longer be trusted, so the server closes after answering. */
    public boolean closesConnection() {
        return closesConnection;
    }

    /** {@code HTTP/1.1 <code> <reason>\r\n}. Shared; do not modify. */
    byte[] statusLine() {
        return statusLine;
    }

    /** The text/plain body sent with this status when it is an error: {@code "<code> <reason>\n"}. */
    public byte[] errorBody() {
        return errorBody.clone();
    }

    byte[] errorBodyShared() {
        return errorBody;
    }

    public static HttpStatus ofCode(int code) {
        for (HttpStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a status of this HTTP subset: " + code);
    }
}
