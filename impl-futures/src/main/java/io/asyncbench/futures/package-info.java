/**
 * The {@code futures} strategy: NIO.2 asynchronous channels adapted once to
 * {@link java.util.concurrent.CompletableFuture} ({@code FuturesChannels}), and each connection
 * written as composed stages ({@code thenCompose}), run by the channel group's threads as the IO
 * completes. asyncio counterpart: a coroutine whose every {@code await} is a future.
 *
 * <p>{@code FuturesLoop} turns "repeat this asynchronous step" into a loop that neither grows the
 * stack nor chains futures; {@code FuturesServer} and {@code FuturesConnection} are the plumbing
 * every workload shares (group, accept loop, life cycle, counting, closing);
 * {@code Futures<Workload>Server} files hold only the workload.
 */
package io.asyncbench.futures;
