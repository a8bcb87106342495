package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The NIO.2 plumbing callbacks and futures share: bind, register, close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelGroupListenerTest {

    private static final String ID = "group-test";

    @Test
    void bindsLoopbackAcceptsInItsGroupAndClosesEverythingItHolds() throws Exception {
        Set<String> closed = ConcurrentHashMap.newKeySet();
        ChannelGroupListener<String> channels = ChannelGroupListener.bind(ID,
                ServerSpec.loopback(Workload.ECHO).withIoThreads(2), closed::add);
        InetSocketAddress address = channels.address();
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isPositive();

        try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            client.connect(address).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel accepted = channels.listener().accept().get(10, TimeUnit.SECONDS)) {
                assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalAddress());
            }
        }
        assertThat(channels.register("a")).isTrue();
        assertThat(channels.connections()).containsExactly("a");

        channels.close(() -> closed.add("before shutdown"));
        assertThat(closed).containsExactlyInAnyOrder("a", "before shutdown");
        assertThat(channels.closing()).isTrue();
        assertThat(channels.listener().isOpen()).isFalse();
        assertThat(channels.group().isTerminated()).isTrue();
        assertThat(liveThreads()).isEmpty();

        assertThat(channels.register("late")).as("a connection made while closing").isFalse();
        assertThat(closed).contains("late");
        channels.close(() -> closed.add("twice")); // idempotent
        assertThat(closed).doesNotContain("twice");
    }

    @Test
    void aPortInUseFailsWithoutLeavingAThread() throws Exception {
        ChannelGroupListener<String> first = ChannelGroupListener.bind(ID, ServerSpec.loopback(Workload.ECHO), s -> { });
        try {
            ServerSpec same = ServerSpec.loopback(Workload.ECHO).withBindAddress(first.address())
                    .withSocketOptions(new SocketOptions(true, false, 16, 0, 0));
            assertThatThrownBy(() -> ChannelGroupListener.bind(ID + "-second", same, s -> { }))
                    .isInstanceOf(IOException.class);
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith(StrategyThreads.prefix(ID + "-second")))).isEmpty();
        } finally {
            first.close(() -> { });
        }
    }

    private static List<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(StrategyThreads.prefix(ID))).toList();
    }
}
