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
 *                            then 200 application/json {"k":K,"ms":M,"ok":K};
 *                            1 &lt;= K &lt;= Limits.maxFanOut (64), else 400
 * </pre>
 *
 * <h2>Fan-out caps</h2>
 * One request may ask for at most {@link io.asyncbench.api.Limits#maxFanOut()} calls (400 past
 * it), and a gateway holds at most {@link io.asyncbench.api.Limits#maxBackendConnections()}
 * connections to each backend however many requests arrive (where each IO loop keeps its own
 * pool, each loop gets an even share). A call that finds no connection free and no room for a new
 * one waits, first come first served, for one to come back; the request's deadline still bounds
 * the wait, so a gateway at its cap answers 504 rather than opening more connections or threads.
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
 * <p>A request head must arrive whole within {@link io.asyncbench.api.Limits#headDeadline()} of
 * its first byte (blank lines before the request line included): past it the server answers
 * {@code 408} and closes, however steadily the bytes trickle in (a slowloris client resets the idle
 * timeout with every byte, never this). The deadline restarts with each request; the time between
 * requests is the idle timeout's. Blank lines before a request line are ignored as RFC 9112
 * section 2.2 allows, but they count toward {@code maxHeaderBytes}: a stream of them gets 431, like
 * any head too large, rather than being read forever.
 *
 * <h2>Bad input: one clear answer, then the connection closes</h2>
 * <pre>
 *   400 Bad Request                  malformed request line, header, Content-Length or query;
 *                                    /fanout with k above Limits.maxFanOut
 *   404 Not Found                    unknown path (the connection stays open)
 *   405 Method Not Allowed           a known method the path does not take (stays open; Allow header)
 *   408 Request Timeout              the head did not arrive within Limits.headDeadline
 *   413 Content Too Large            Content-Length above Limits.maxBodyBytes
 *   431 Request Header Fields Too Large  request line + headers (+ blank lines before them)
 *                                    above Limits.maxHeaderBytes
 *   501 Not Implemented              an unknown method, or Transfer-Encoding (chunked request
 *                                    bodies are refused, not decoded)
 *   505 HTTP Version Not Supported   anything but HTTP/1.0 and HTTP/1.1
 *   502 Bad Gateway / 504 Gateway Timeout   gateway: a backend failed / the deadline passed
 *                                    (also while its calls waited for a backend connection)
 * </pre>
 *
 * <p>{@link io.asyncbench.api.http.HttpRequestParser} is the one parser every strategy but Netty
 * feeds (Netty uses its own codec and maps its decoder failures onto the same statuses);
 * {@link io.asyncbench.api.http.HttpResponses} encodes responses; the IO and control flow around
 * them stay each strategy's own.
 */
package io.asyncbench.api.http;
