package io.asyncbench.api.http;

/**
 * A request that cannot be served: the server answers {@link #status()} and, when
 * {@link HttpStatus#closesConnection()}, closes the connection.
 */
public final class HttpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HttpStatus status;

    public HttpException(HttpStatus status, String detail) {
        // No stack trace: this is control flow for bad input, thrown per bad request.
        super(status.code() + " " + status.reason() + ": " + detail, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
