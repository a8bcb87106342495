/**
 * The {@code futures} strategy: NIO.2 asynchronous channels adapted once to
 * {@link java.util.concurrent.CompletableFuture} ({@code FuturesChannels}), and each connection
 * written as composed stages ({@code thenCompose}), run by the channel group's threads as the IO
 * completes. asyncio counterpart: a coroutine whose every {@code await} is a future.
 *
 * <p>The plumbing every workload shares: {@code FuturesLoop} turns "repeat this asynchronous step"
 * into a loop that neither grows the stack nor chains futures; {@code FuturesGather} is
 * asyncio.gather (allOf that fails on the first failure); {@code FuturesServer} and
 * {@code FuturesConnection} hold the accept loop, outgoing connections, counting and closing a
 * connection (api's {@code ChannelGroupListener} holds the group, the listener and the closing
 * of the server, as for callbacks); {@code FuturesIdleTimeout} is {@code orTimeout} for every
 * idle read of a server at once, checked lazily; {@code OutputBuffers} lends a connection a
 * buffer while it writes.
 *
 * <p>One file per workload holds only the workload: {@code FuturesEchoServer},
 * {@code FuturesHttpServer}, {@code FuturesTimers}, {@code FuturesGatewayServer},
 * {@code FuturesProxyServer}. Their timers are CompletableFuture's own
 * ({@code delayedExecutor}, {@code orTimeout}), kept by the JDK's shared delay thread, which only
 * completes futures or hands tasks to the group; the IO stays on the group's threads.
 */
package io.asyncbench.futures;
