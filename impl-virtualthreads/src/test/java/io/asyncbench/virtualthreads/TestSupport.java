package io.asyncbench.virtualthreads;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small blocking client helpers, a poller and a thread lister that sees virtual threads. */
final class TestSupport {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    static SocketChannel connect(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return channel;
    }

    static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static byte[] readExactly(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new AssertionError("EOF after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return buffer.array();
    }

    /** Closes with SO_LINGER 0: the kernel sends RST instead of FIN, an abrupt disconnect. */
    static void reset(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    /** Polls {@code condition} every 10 ms until it holds; fails after {@code limit}. */
    static void pollUntil(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Polls {@code value} until it has not changed for {@code quiet}: a flow that has stalled. */
    static long pollUntilStable(LongSupplier value, Duration quiet, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = value.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quiet.toNanos()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still changing after " + limit + ": " + last);
            }
            Thread.sleep(10);
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    /** Names of live threads starting with {@code prefix}, virtual ones included (JSON dump). */
    static List<String> liveThreads(String prefix) throws IOException {
        Path dir = Files.createTempDirectory("asyncbench-threads");
        Path dump = dir.resolve("threads.json");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), ThreadDumpFormat.JSON);
            Matcher matcher = NAME.matcher(Files.readString(dump));
            List<String> names = new ArrayList<>();
            while (matcher.find()) {
                if (matcher.group(1).startsWith(prefix)) {
                    names.add(matcher.group(1));
                }
            }
            return names;
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(dir);
        }
    }

    private TestSupport() {
    }
}
