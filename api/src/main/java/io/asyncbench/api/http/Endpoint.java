package io.asyncbench.api.http;

import java.nio.charset.StandardCharsets;

/** The paths of this HTTP subset, matched on the raw request-target bytes without making a String. */
public enum Endpoint {
    PLAINTEXT("/plaintext", HttpMethod.GET),
    JSON("/json", HttpMethod.GET),
    ECHO("/echo", HttpMethod.POST),
    DELAY("/delay", HttpMethod.GET),
    FANOUT("/fanout", HttpMethod.GET),
    /** Any other path: 404. */
    UNKNOWN("", null);

    private final String path;
    private final byte[] pathBytes;
    private final HttpMethod method;

    Endpoint(String path, HttpMethod method) {
        this.path = path;
        this.pathBytes = path.getBytes(StandardCharsets.US_ASCII);
        this.method = method;
    }

    public String path() {
        return path;
    }

    /** The one method this endpoint takes; others get 405 with an Allow header naming it. */
    public HttpMethod method() {
        return method;
    }

    static Endpoint match(byte[] bytes, int from, int to) {
        int length = to - from;
        for (Endpoint endpoint : values()) {
            byte[] candidate = endpoint.pathBytes;
            if (endpoint != UNKNOWN && candidate.length == length
                    && java.util.Arrays.equals(bytes, from, to, candidate, 0, length)) {
                return endpoint;
            }
        }
        return UNKNOWN;
    }
}
