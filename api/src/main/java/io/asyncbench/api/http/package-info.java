/**
 * The HTTP/1.1 subset that the {@code http} and {@code gateway} workloads speak, specified once so
 * every strategy answers byte-for-byte alike (Date aside) and curl, wrk or any load generator can
 * drive any of them.
 *
 * <h2>Endpoints</h2>
 * <pre>
 *   GET  /plaintext          200 text/plain        Hello, World!
 *   GET  /json               200 application/json  {"message":"Hello, World!"}
 *   POST /echo               200 application/octet-stream, the request body
 *   GET  /delay?ms=N         200 text/plain        "slept N ms", sent N ms later (asyncio.sleep
 *                                                   inside a request: no thread held where the
 *                                                   style allows it); 0 &lt;= N &lt;= 60000
 *   GET  /fanout?k=K&amp;ms=M    gateway only: calls GET /delay?ms=M on K backends concurrently,
 *                            then 200 application/json {"k":K,"ms":M,"ok":K}; 1 &lt;= K &lt;= 256
 * </pre>
 *
 * <h2>Every response</h2>
 * Carries {@code Server: asyncbench}, {@code Date} (refreshed at most once a second),
 * {@code Content-Type} and {@code Content-Length} (never chunked). Requests are answered in the
 * order they arrived, also when pipelined.
 *
 * <h2>Connections</h2>
 * HTTP/1.1 is keep-alive unless the request says {@code Connection: close}; HTTP/1.0 closes after
 * the response unless it says {@code Connection: keep-alive}. A connection with no request in
 * progress for {@link io.asyncbench.api.Limits#idleTimeout()} is closed. A request
 * with {@code Expect: 100-continue} gets {@code 100 Continue} before its body is read.
 *
 * <p>After an answer that closes the connection (an error status below, {@code Connection:
 * close}, HTTP/1.0) the server closes in stages, by the closing rule of
 * {@link io.asyncbench.api.http.LingeringClose}: send the answer, shut down output, read and drop
 * what the client still sends until it closes, for at most 1 s or 4 MiB, then close. Closing with
 * unread input would send a reset, and a client still sending would lose the answer.
 *
 * <h2>Bad input: one clear answer, then the connection closes</h2>
 * <pre>
 *   400 Bad Request                  malformed request line, header, Content-Length or query
 *   404 Not Found                    unknown path (the connection stays open)
 *   405 Method Not Allowed           a known method the path does not take (stays open; Allow header)
 *   413 Content Too Large            Content-Length above Limits.maxBodyBytes
 *   431 Request Header Fields Too Large  request line + headers above Limits.maxHeaderBytes
 *   501 Not Implemented              an unknown method, or Transfer-Encoding (chunked request
 *                                    bodies are refused, not decoded)
 *   505 HTTP Version Not Supported   anything but HTTP/1.0 and HTTP/1.1
 *   502 Bad Gateway / 504 Gateway Timeout   gateway: a backend failed / the deadline passed
 * </pre>
 *
 * <p>{@link io.asyncbench.api.http.HttpRequestParser} is the one parser every strategy but Netty
 * feeds (Netty uses its own codec and maps its decoder failures onto the same statuses);
 * {@link io.asyncbench.api.http.HttpResponses} encodes responses; the IO and control flow around
 * them stay each strategy's own.
 */
package io.asyncbench.api.http;
