package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyAcceptBackoffTest {

    private static void failAnAccept(EmbeddedChannel listener) {
        listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
    }

    @Test
    void aFailedAcceptPausesAcceptingForASecondAndGoesNoFurther() {
        EmbeddedChannel listener = new EmbeddedChannel(new NettyAcceptBackoff());
        listener.freezeTime();
        failAnAccept(listener);
        failAnAccept(listener);
        listener.checkException(); // neither reached the tail
        assertThat(listener.config().isAutoRead()).isFalse();

        listener.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isTrue();
    }

    @Test
    void worksWhenAddedToAListenerAlreadyBound() {
        EmbeddedChannel listener = new EmbeddedChannel();
        listener.pipeline().addFirst(new NettyAcceptBackoff());
        failAnAccept(listener);
        listener.checkException();
        assertThat(listener.config().isAutoRead()).isFalse();
    }
}
