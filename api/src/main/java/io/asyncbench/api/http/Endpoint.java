package io.asyncbench.api.http;

/** The paths of this HTTP subset; {@link HttpSyntax#endpoint} matches a request-target to one. */
public enum Endpoint {
    PLAINTEXT("/plaintext", HttpMethod.GET),
    JSON("/json", HttpMethod.GET),
    ECHO("/echo", HttpMethod.POST),
    DELAY("/delay", HttpMethod.GET),
    FANOUT("/fanout", HttpMethod.GET),
    /** Any other path: 404. */
    UNKNOWN("", null);

    private final String path;
    private final HttpMethod method;

    Endpoint(String path, HttpMethod method) {
        this.path = path;
        this.method = method;
    }

    public String path() {
        return path;
    }

    /** The one method this endpoint takes; others get 405 with an Allow header naming it. */
    public HttpMethod method() {
        return method;
    }
}
