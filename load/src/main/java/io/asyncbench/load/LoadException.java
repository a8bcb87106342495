package io.asyncbench.load;

/**
 * The server answered wrongly, too little, not at all, or dropped the connection. The benchmark
 * that sees it fails: a wrong reply is never counted as a success.
 */
public final class LoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
