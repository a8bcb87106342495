package io.asyncbench.coroutines

import io.asyncbench.api.Limits
import io.asyncbench.api.ServerSpec
import io.asyncbench.api.Strategies
import io.asyncbench.api.Workload
import io.asyncbench.api.http.HttpResponseParser
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.nio.ByteBuffer
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/** What this module adds to the style: no kotlinx global thread ever starts, and the gateway's pool heals itself. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoroutinesStrategyTest {

    private val strategy = Strategies.byId(ID)

    @Test
    fun isFoundByServiceLoaderWithItsFacts() {
        assertThat(strategy).isInstanceOf(CoroutinesStrategy::class.java)
        assertThat(strategy.facts().order()).isEqualTo(45)
        assertThat(strategy.facts().module()).isEqualTo("impl-kotlin-coroutines")
        assertThat(strategy.facts().mayServeBackends()).isFalse()
    }

    /**
     * kotlinx starts JVM-wide threads (Dispatchers.Default's and IO's workers, DefaultExecutor for
     * delays without a dispatcher of their own) that no server could stop: delays, timeouts and
     * the gateway's gather must all run on the server's own dispatcher.
     */
    @Test
    fun startsNoGlobalKotlinxThreadAndLeavesNoneOfItsOwn() {
        strategy.start(ServerSpec.loopback(Workload.HTTP).withIoThreads(2)).use { backend ->
            strategy.start(ServerSpec.loopback(Workload.GATEWAY, listOf(backend.address()))
                .withLimits(Limits.DEFAULTS.withRequestDeadline(Duration.ofMillis(300))))
                .use { gateway ->
                    assertThat(get(backend.address(), "/delay?ms=20").bodyText()).isEqualTo("slept 20 ms")
                    assertThat(get(gateway.address(), "/fanout?k=4&ms=5").status()).isEqualTo(200)
                    assertThat(get(gateway.address(), "/fanout?k=2&ms=2000").status()).isEqualTo(504) // withTimeout fired
                }
        }
        strategy.timers(2).use { timers ->
            assertThat(timers.sleepAndGather(1_000, Duration.ofMillis(20)).tasks()).isEqualTo(1_000)
        }
        val names = Thread.getAllStackTraces().keys.map { it.name }
        assertThat(names).noneMatch { it.startsWith("DefaultDispatcher-worker") || it.contains("DefaultExecutor") }
        assertThat(names).noneMatch { it.startsWith("asyncbench-$ID-") }
    }

    /**
     * A pooled connection the backend closed while it was idle (its idle timeout) fails before any
     * answer: the call is sent again on a new connection, and the client never hears of it.
     */
    @Test
    fun aPooledConnectionTheBackendClosedIsReplacedUnnoticed() {
        ServerSocket(0, 50, InetAddress.getLoopbackAddress()).use { backend ->
            var connections = 0
            val answering = thread(isDaemon = true) {
                while (!backend.isClosed) {
                    val connection = runCatching { backend.accept() }.getOrNull() ?: break
                    connections++
                    connection.use {
                        // One answer, keep-alive; the next request is met by a close, as when the
                        // backend's idle timeout fired just before it came.
                        readHead(it)
                        it.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" +
                            "Content-Length: 10\r\n\r\nslept 0 ms").toByteArray())
                        it.getInputStream().read()
                    }
                }
            }
            val address = InetSocketAddress(InetAddress.getLoopbackAddress(), backend.localPort)
            strategy.start(ServerSpec.loopback(Workload.GATEWAY, listOf(address))).use { gateway ->
                repeat(3) {
                    assertThat(get(gateway.address(), "/fanout?k=1&ms=0").status()).isEqualTo(200)
                }
                assertThat(gateway.counters().errors()).isZero()
            }
            backend.close()
            answering.join(5_000)
            assertThat(connections).isEqualTo(3)
        }
    }

    private fun readHead(socket: Socket) {
        val input = socket.getInputStream()
        var last = 0
        while (true) {
            val b = input.read()
            if (b < 0) return
            last = (last shl 8) or b
            if (last == 0x0d0a0d0a) return
        }
    }

    private fun get(address: InetSocketAddress, target: String): HttpResponseParser.Response {
        Socket(address.address, address.port).use { socket ->
            socket.soTimeout = 10_000
            socket.getOutputStream().write("GET $target HTTP/1.1\r\nHost: test\r\n\r\n".toByteArray())
            val parser = HttpResponseParser(8192)
            val buffer = ByteArray(8192)
            while (true) {
                val count = socket.getInputStream().read(buffer)
                check(count >= 0) { "the server closed before answering $target" }
                parser.parse(ByteBuffer.wrap(buffer, 0, count))?.let { return it }
            }
        }
    }
}
