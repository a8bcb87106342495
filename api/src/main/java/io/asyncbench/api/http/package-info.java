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
 * {@code Content-Type} and {@code Content-Length} (never chunked).
 *
 * <h2>Pipelining</h2>
 * Requests are answered in the order they arrived, however many a client sends before reading:
 * 10,000 in one write get 10,000 answers. There is no depth limit; the bound is backpressure. A
 * server that has written answers up to {@link io.asyncbench.api.Limits#writeHighWaterMark()}
 * the client has not read yet stops reading that client, and reads again once they drain; it
 * holds about one read buffer of requests ahead of its answers, never the client's whole batch
 * (the conformance suite checks both while the client does not read).
 *
 * <h2>Request syntax (RFC 9110, RFC 9112), and where the RFCs leave a choice</h2>
 * <ul>
 *   <li><b>Request line</b>: method, request-target and version, split on whitespace (SP, HTAB,
 *       VT, FF or a bare CR; RFC 9112 section 3 allows this instead of single SPs). Whitespace at
 *       its end: 400. Blank lines, whitespace and control characters before it are skipped (and
 *       count toward the head's size, see Head deadline).
 *       Methods are case-sensitive tokens: a known method the path does not take is 405, another
 *       token 501, anything else 400.</li>
 *   <li><b>Version</b>: exactly {@code HTTP/1.1} or {@code HTTP/1.0} (case-sensitive, RFC 9112
 *       section 2.3: {@code http/1.1} is 400); any other {@code HTTP/<digit>.<digit>}, in any
 *       case, is 505; anything else 400.</li>
 *   <li><b>Request-target</b>: origin-form {@code /path[?query]}, or absolute-form
 *       {@code http://host[:port][/path][?query]} (scheme in any case), which RFC 9112 section
 *       3.2.2 requires a server to accept: it is served as its path and query (an empty path is
 *       {@code /}). Its authority must be a non-empty host[:port], without userinfo (RFC 9110
 *       section 4.2.4). Other forms and schemes ({@code *}, {@code host:port}, {@code https://})
 *       are 400. Every byte must be visible US-ASCII, and every {@code %} must start an escape
 *       of two hex digits ({@code %zz} or a lone {@code %} anywhere in the target: 400).</li>
 *   <li><b>Percent-escapes</b> are decoded before a path is matched and in query names and values
 *       (RFC 3986 section 6.2.2.2: {@code %35} is {@code 5}), so {@code /delay?ms=%35} sleeps 5 ms
 *       and {@code /plain%74ext} is {@code /plaintext}. Query pairs are separated by {@code &}
 *       only ({@code ;} is an ordinary character); the last pair of a name counts; {@code ms}
 *       and {@code k} must decode to 1 to 9 digits ({@code +} is not a digit either way).</li>
 *   <li><b>Host</b> (RFC 9112 section 3.2): an HTTP/1.1 request needs exactly one, an HTTP/1.0
 *       request at most one, also with an absolute-form target; its value is empty or
 *       {@code host[:port]} characters (RFC 3986 reg-name, IP literal). Otherwise 400.</li>
 *   <li><b>Header fields</b>: a token name, a colon with no whitespace before it, a value of any
 *       bytes but control characters (HTAB and obs-text allowed; NUL, a CR not followed by LF,
 *       DEL or any other control: 400). Lines end with CRLF or a bare LF.</li>
 *   <li><b>obs-fold</b> (a line starting with SP or HTAB continues the field before it): replaced
 *       by spaces before the value is read, as RFC 9112 section 5.2 allows. A fold cannot start a
 *       value, nor whitespace precede the first field: 400 (section 5.2 allows refusing any fold;
 *       this is where Netty's codec does).</li>
 *   <li><b>Content-Length</b>: decimal digits; a second Content-Length field, even an equal one
 *       (RFC 9110 section 8.6 lets a recipient refuse it), or a list: 400.</li>
 *   <li><b>Transfer-Encoding</b>: a request body framed by it is not decoded (501), if the framing
 *       is one RFC 9112 section 6.1 lets a server accept: HTTP/1.1, a final {@code chunked}
 *       coding applied once, no Content-Length. Any other Transfer-Encoding: 400.</li>
 *   <li><b>Expect: 100-continue</b> is honoured for HTTP/1.1 and ignored for HTTP/1.0 (RFC 9110
 *       section 10.1.1).</li>
 *   <li><b>Several faults</b>: syntax (request line, fields, framing) is judged first, then the
 *       method (501), the target (400), the version (505), Transfer-Encoding (501), Host (400),
 *       the query (400) and the body size (413): the order in which Netty's codec and handler
 *       meet them, so every strategy answers a request with several faults alike.</li>
 * </ul>
 * Where the RFCs let a server either refuse or accept (whitespace in the request line, obs-fold,
 * a bare LF, duplicate Content-Length), the choice above is the one Netty's HTTP codec makes and
 * its handler cannot undo; where the codec is lenient and the handler can check (the version's
 * case, percent-escapes, Host), the stricter reading is the spec's.
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
 * what the client still sends until it closes, for at most 1 s or 4 MiB (whichever comes first),
 * then close. Every strategy does exactly this, with these bounds: a client still sending at the
 * bound is cut off there. Closing with unread input would send a reset, and a client still sending
 * would lose the answer.
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
 *   400 Bad Request                  malformed request line, target, header, Host, Content-Length,
 *                                    Transfer-Encoding or query (see Request syntax); /fanout
 *                                    with k above Limits.maxFanOut
 *   404 Not Found                    unknown path (the connection stays open)
 *   405 Method Not Allowed           a known method the path does not take (stays open; Allow header)
 *   408 Request Timeout              the head did not arrive within Limits.headDeadline
 *   413 Content Too Large            Content-Length above Limits.maxBodyBytes
 *   431 Request Header Fields Too Large  request line + headers (+ blank lines before them)
 *                                    above Limits.maxHeaderBytes
 *   501 Not Implemented              an unknown method, or a chunked request body (refused, not
 *                                    decoded)
 *   505 HTTP Version Not Supported   HTTP/&lt;digit&gt;.&lt;digit&gt; other than HTTP/1.0 and HTTP/1.1
 *   502 Bad Gateway / 504 Gateway Timeout   gateway: a backend failed / the deadline passed
 *                                    (also while its calls waited for a backend connection)
 * </pre>
 *
 * <p>{@link io.asyncbench.api.http.HttpRequestParser} is the one parser every strategy but Netty
 * feeds (Netty uses its own codec and maps its decoder failures onto the same statuses);
 * {@link io.asyncbench.api.http.HttpSyntax} holds the target and Host rules both run;
 * {@link io.asyncbench.api.http.HttpResponses} encodes responses; the IO and control flow around
 * them stay each strategy's own.
 */
package io.asyncbench.api.http;
