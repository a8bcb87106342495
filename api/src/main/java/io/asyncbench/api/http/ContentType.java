package io.asyncbench.api.http;

import java.nio.charset.StandardCharsets;

/** The content types this subset sends, with their header lines built once. */
public enum ContentType {
    TEXT_PLAIN("text/plain"),
    APPLICATION_JSON("application/json"),
    OCTET_STREAM("application/octet-stream");

    private final String mediaType;
    private final byte[] headerLine;

    ContentType(String mediaType) {
        this.mediaType = mediaType;
        this.headerLine = ("Content-Type: " + mediaType + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public String mediaType() {
        return mediaType;
    }

    byte[] headerLine() {
        return headerLine;
    }
}
