package io.asyncbench.coroutines

import io.asyncbench.api.IdleSweep
import io.asyncbench.api.ServerCounters
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.future.asCompletableFuture
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.net.InetAddress
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel
import java.time.Duration
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** The readiness machinery under every workload: a read suspends until bytes come, or until the sweep wakes it. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PollerTest {

    private val executor = Executors.newSingleThreadScheduledExecutor()
    private val scope = CoroutineScope(SupervisorJob() + executor.asCoroutineDispatcher())
    private val poller = Poller.start(ID)
    private val listener = ServerSocketChannel.open().bind(InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
    private val client = SocketChannel.open(listener.localAddress)
    private val counters = ServerCounters()
    private val accepted = listener.accept()
    private val socket = CoroutinesSocket(accepted, poller.register(accepted), counters)

    @AfterEach
    fun close() {
        scope.cancel()
        socket.close()
        client.close()
        listener.close()
        poller.close()
        executor.shutdownNow()
    }

    @Test
    fun aReadSuspendsUntilBytesArrive() {
        val read = scope.async { ByteBuffer.allocate(16).let { socket.read(it) to it.flip() } }.asCompletableFuture()
        Thread.sleep(100) // a read that did not suspend would be done by now
        assertThat(read).isNotDone()

        client.write(ByteBuffer.wrap("hello".toByteArray()))

        val (count, bytes) = read.get(5, TimeUnit.SECONDS)
        assertThat(count).isEqualTo(5)
        assertThat(Charsets.US_ASCII.decode(bytes).toString()).isEqualTo("hello")
        assertThat(counters.bytesRead()).isEqualTo(5)
    }

    @Test
    fun aWriteSuspendsWhileThePeerDoesNotReadAndResumesWhenItDoes() {
        val payload = ByteBuffer.allocate(8 shl 20)
        val write = scope.async { socket.writeFully(payload) }.asCompletableFuture()
        Thread.sleep(200)
        assertThat(write).`as`("8 MiB cannot fit the kernel's buffers of a peer that does not read").isNotDone()

        val sink = ByteBuffer.allocate(1 shl 16)
        var received = 0L
        while (received < payload.capacity()) {
            received += client.read(sink.clear())
        }
        write.get(5, TimeUnit.SECONDS)
        assertThat(counters.bytesWritten()).isEqualTo(payload.capacity().toLong())
    }

    @Test
    fun theIdleSweepEndsAnOverdueReadAndOnlyThatOne() {
        val idle = CoroutinesIdleTimeout(Duration.ofMillis(200), listOf(socket))
        idle.startIn(scope)
        val started = System.nanoTime()
        val read = scope.async { socket.readIdle(ByteBuffer.allocate(16), idle.clock, idle.deadlineFromNow()) }
            .asCompletableFuture()

        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(CoroutinesSocket.TIMED_OUT)
        val tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
        assertThat(tookMillis).`as`("timed out at about the idle timeout").isBetween(190L, 1_000L)
        assertThat(socket.idleDeadline).isEqualTo(IdleSweep.NOT_WAITING)
    }

    @Test
    fun aReadWithBytesBeforeItsDeadlineIsNotTimedOut() {
        val idle = CoroutinesIdleTimeout(Duration.ofMillis(300), listOf(socket))
        idle.startIn(scope)
        val read = scope.async { socket.readIdle(ByteBuffer.allocate(16), idle.clock, idle.deadlineFromNow()) }
            .asCompletableFuture()
        Thread.sleep(100)
        client.write(ByteBuffer.wrap(byteArrayOf(1, 2, 3)))
        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(3)
    }

    @Test
    fun closeEndsThePollerThread() {
        val prefix = "asyncbench-$ID-poller-"
        val poller = Poller.start(ID)
        assertThat(Thread.getAllStackTraces().keys.count { it.name.startsWith(prefix) }).isGreaterThanOrEqualTo(2)
        poller.close()
        assertThat(Thread.getAllStackTraces().keys.count { it.name.startsWith(prefix) }).isEqualTo(1) // this test's own
    }
}
