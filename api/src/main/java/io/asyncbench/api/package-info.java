/**
 * The contract every asyncbench strategy implements.
 *
 * <p>A <em>strategy</em> is one way of writing asynchronous network code on the JVM: NIO.2
 * completion handlers, CompletableFuture composition, virtual threads, platform threads, an
 * asyncio-style Selector loop, or Netty. Each strategy implements the same <em>workloads</em>
 * (echo, http, timers, gateway, proxy), specified once in this package, so that every strategy is
 * byte-for-byte interchangeable and one load generator and one conformance suite serve them all.
 *
 * <h2>How the pieces map onto asyncio</h2>
 * <pre>
 *   asyncio                         asyncbench
 *   -------------------------------  ------------------------------------------------------
 *   loop.create_server(factory)      {@link io.asyncbench.api.Strategy#start(ServerSpec)}
 *   Server.close(); wait_closed()    {@link io.asyncbench.api.RunningServer#close()}
 *   asyncio.gather(sleep(d) * N)     {@link io.asyncbench.api.TimerFanOut#sleepAndGather}
 *   asyncio.sleep(d)                 {@link io.asyncbench.api.Sleeper#wakeAfter}, in each style
 *   transport high/low water marks   {@link io.asyncbench.api.Limits#writeHighWaterMark()}
 * </pre>
 *
 * <h2>Rules every strategy follows</h2>
 * <ul>
 *   <li>Found through {@link java.util.ServiceLoader}; nothing names an implementation class.</li>
 *   <li>Binds to {@link io.asyncbench.api.ServerSpec#bindAddress()} (loopback unless told otherwise)
 *       and applies {@link io.asyncbench.api.SocketOptions} exactly as given.</li>
 *   <li>Uses at most {@link io.asyncbench.api.ServerSpec#ioThreads()} threads for IO multiplexing
 *       (see that method for what the budget means for thread-per-connection styles).</li>
 *   <li>Names every platform thread it creates with {@link io.asyncbench.api.StrategyThreads}, so a
 *       test can prove that {@code close()} left none behind.</li>
 *   <li>Applies backpressure: a peer that sends but never reads cannot make the server buffer
 *       more than {@link io.asyncbench.api.Limits#maxBufferedBytesPerConnection()} for it.</li>
 *   <li>Counts what it does in {@link io.asyncbench.api.ServerCounters}, at the IO call sites.</li>
 *   <li>Survives running out of file descriptors: a failed accept is reported through
 *       {@link io.asyncbench.api.AcceptFailures} (one line a second at most, with a count), the
 *       server backs off before accepting again (10 ms where a thread or NIO.2 retries, 1 s where
 *       an event loop does, as asyncio and Netty do) and serves again within that once descriptors
 *       are free. No error, an {@link java.lang.Error} included where it can be survived, ends an
 *       IO thread or closes the listener, and what logging needs is loaded at start.</li>
 *   <li>Ends a connection after an answer that closes it by the closing rule,
 *       {@link io.asyncbench.api.http.LingeringClose}: answer, FIN, drain briefly, close.</li>
 *   <li>Bounds what a slow or greedy client can hold: a request head gets
 *       {@link io.asyncbench.api.Limits#headDeadline()} from its first byte (408 after), checked by
 *       the same lazy per-connection timer as the idle timeout, never a timer per read; a gateway
 *       request asks for at most {@link io.asyncbench.api.Limits#maxFanOut()} calls, and a gateway
 *       holds at most {@link io.asyncbench.api.Limits#maxBackendConnections()} connections per
 *       backend, its calls queueing for them until their deadline (see the http package).</li>
 * </ul>
 *
 * <p>This module has no third-party dependency, so that depending on it costs a strategy nothing.
 */
package io.asyncbench.api;
