package io.asyncbench.api.http;

/**
 * One parsed request.
 *
 * @param method    the request method
 * @param endpoint  the matched path ({@link Endpoint#UNKNOWN} for any other)
 * @param http10    true for HTTP/1.0, false for HTTP/1.1
 * @param keepAlive whether the connection stays open after the response
 * @param delayMs   {@code ms} of /delay and /fanout, else 0
 * @param fanout    {@code k} of /fanout, else 0
 * @param body      the request body (empty unless Content-Length was given); owned by the request
 */
public record HttpRequest(HttpMethod method, Endpoint endpoint, boolean http10, boolean keepAlive,
                          int delayMs, int fanout, byte[] body) {
}
