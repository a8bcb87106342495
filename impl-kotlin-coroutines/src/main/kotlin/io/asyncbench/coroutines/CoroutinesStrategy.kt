package io.asyncbench.coroutines

import io.asyncbench.api.Availability
import io.asyncbench.api.RunningServer
import io.asyncbench.api.ServerSpec
import io.asyncbench.api.ServerWorkload
import io.asyncbench.api.Sleeper
import io.asyncbench.api.Strategy
import io.asyncbench.api.StrategyFacts
import java.util.Optional
import java.util.function.IntFunction

/** The strategy's id, and the middle of every thread name it creates. */
internal const val ID = "kotlin-coroutines"

/**
 * Kotlin coroutines, the JVM's nearest relative of asyncio's: `suspend` functions on non-blocking
 * NIO channels that suspend on readiness, one coroutine per connection launched in a server
 * `CoroutineScope(SupervisorJob() + dispatcher)`, `delay` for sleeps, `withTimeoutOrNull` +
 * `coroutineScope { async { } }.awaitAll()` for the gateway's gather. Written in Kotlin, the one
 * module that is not Java.
 *
 * The IO budget is the dispatcher: [ServerSpec.ioThreads] threads run every coroutine, reads and
 * writes included; one poller thread waits for readiness (see [Poller]).
 */
class CoroutinesStrategy : Strategy {

    override fun id(): String = ID

    override fun description(): String =
        "Kotlin coroutines: suspend functions on NIO channels, one coroutine per connection"

    override fun availability(): Availability = Availability.availableHere()

    override fun serverWorkloads(): Set<ServerWorkload> =
        setOf(ServerWorkload.ECHO, ServerWorkload.HTTP, ServerWorkload.GATEWAY, ServerWorkload.PROXY)

    override fun start(spec: ServerSpec): RunningServer = when (spec.serverWorkload()!!) {
        ServerWorkload.ECHO -> CoroutinesEchoServer.start(spec)
        ServerWorkload.HTTP -> CoroutinesHttpServer.start(spec)
        ServerWorkload.GATEWAY -> CoroutinesGatewayServer.start(spec)
        ServerWorkload.PROXY -> CoroutinesProxyServer.start(spec)
    }

    override fun sleepers(): Optional<IntFunction<Sleeper>> = Optional.of(IntFunction(::CoroutinesTimers))

    /** Between the thread styles (40) and the selector (50); never a backend. */
    override fun facts(): StrategyFacts = StrategyFacts.of(45, "#E7298A", "impl-kotlin-coroutines")
}
