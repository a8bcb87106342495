package io.asyncbench.api.http;

import java.nio.charset.StandardCharsets;

/**
 * The answers of this subset. Strategies call {@link #immediate} for everything that needs no
 * waiting, and build /delay and /fanout answers with {@link #delayed} and {@link #fanout} once
 * their own style has waited.
 */
public final class HttpResponses {

    /** {@code HTTP/1.1 100 Continue}, sent when {@link HttpRequestParser#takeContinueRequest()}. */
    public static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final byte[] PLAINTEXT_BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] JSON_BODY = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

    /** True when {@code request} must wait (a sleep or backend calls) before it can be answered. */
    public static boolean needsWaiting(HttpRequest request) {
        Endpoint endpoint = request.endpoint();
        return (endpoint == Endpoint.DELAY || endpoint == Endpoint.FANOUT)
                && request.method() == endpoint.method();
    }

    /**
     * The answer to a request that needs no waiting: /plaintext, /json, /echo, 404 and 405.
     *
     * @throws IllegalArgumentException for a request that {@link #needsWaiting}
     */
    public static HttpResponse immediate(HttpRequest request) {
        Endpoint endpoint = request.endpoint();
        if (endpoint == Endpoint.UNKNOWN) {
            return error(request, HttpStatus.NOT_FOUND, null);
        }
        if (request.method() != endpoint.method()) {
            return error(request, HttpStatus.METHOD_NOT_ALLOWED, endpoint.method());
        }
        return switch (endpoint) {
            case PLAINTEXT -> ok(request, ContentType.TEXT_PLAIN, PLAINTEXT_BODY);
            case JSON -> ok(request, ContentType.APPLICATION_JSON, JSON_BODY);
            case ECHO -> ok(request, ContentType.OCTET_STREAM, request.body());
            default -> throw new IllegalArgumentException(endpoint + " needs waiting; see needsWaiting()");
        };
    }

    /** The answer to /delay?ms=N once N ms have passed. */
    public static HttpResponse delayed(HttpRequest request) {
        return ok(request, ContentType.TEXT_PLAIN, delayBody(request.delayMs()));
    }

    /** The answer to /fanout once all K backends answered their /delay correctly. */
    public static HttpResponse fanout(HttpRequest request) {
        return ok(request, ContentType.APPLICATION_JSON, fanoutBody(request.fanout(), request.delayMs()));
    }

    /** An error answer for a parsed request (404, 405, 502, 504). */
    public static HttpResponse error(HttpRequest request, HttpStatus status, HttpMethod allow) {
        boolean close = status.closesConnection() || !request.keepAlive();
        return new HttpResponse(status, ContentType.TEXT_PLAIN, status.errorBodyShared(), close,
                !close && request.http10(), allow, request.method() == HttpMethod.HEAD);
    }

    /** The answer to a request that could not be parsed; the connection closes after it. */
    public static HttpResponse error(HttpException failure) {
        return new HttpResponse(failure.status(), ContentType.TEXT_PLAIN,
                failure.status().errorBodyShared(), true, false, null, false);
    }

    /** The body of a /delay answer: {@code slept N ms}. */
    public static byte[] delayBody(int ms) {
        return ("slept " + ms + " ms").getBytes(StandardCharsets.US_ASCII);
    }

    /** The body of a /fanout answer: {@code {"k":K,"ms":M,"ok":K}}. */
    public static byte[] fanoutBody(int k, int ms) {
        return ("{\"k\":" + k + ",\"ms\":" + ms + ",\"ok\":" + k + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The request a gateway sends to each backend for /fanout?k=K&amp;ms=M. */
    public static byte[] backendRequest(int ms) {
        return ("GET /delay?ms=" + ms + " HTTP/1.1\r\nHost: backend\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] plaintextBody() {
        return PLAINTEXT_BODY.clone();
    }

    public static byte[] jsonBody() {
        return JSON_BODY.clone();
    }

    private static HttpResponse ok(HttpRequest request, ContentType type, byte[] body) {
        return new HttpResponse(HttpStatus.OK, type, body, !request.keepAlive(),
                request.keepAlive() && request.http10(), null, request.method() == HttpMethod.HEAD);
    }

    private HttpResponses() {
    }
}
