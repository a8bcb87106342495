package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyConnectionOptionsTest {

    @Test
    void theSpecsOptionsAsChannelOptions() {
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 4096, 65536, 0));
        Map<ChannelOption<?>, Object> options = NettyConnectionOptions.of(spec, true);
        assertThat(options).containsEntry(ChannelOption.TCP_NODELAY, true)
                .containsEntry(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .containsEntry(ChannelOption.SO_RCVBUF, 65536)
                .doesNotContainKey(ChannelOption.SO_SNDBUF); // 0: the kernel's default
        Limits limits = spec.limits();
        WriteBufferWaterMark marks = (WriteBufferWaterMark) options.get(ChannelOption.WRITE_BUFFER_WATER_MARK);
        assertThat(marks.high()).isEqualTo(limits.writeHighWaterMark());
        assertThat(marks.low()).isEqualTo(limits.writeLowWaterMark());
        assertThat(options).containsKey(ChannelOption.RECVBUF_ALLOCATOR);
        assertThat(NettyConnectionOptions.of(spec, false)).containsEntry(ChannelOption.ALLOW_HALF_CLOSURE, false);
    }

    @Test
    void noReadIsLargerThanTheReadBuffer() {
        var sizes = NettyConnectionOptions.readSizes(Limits.DEFAULTS).newHandle();
        assertThat(sizes.guess()).isLessThanOrEqualTo(Limits.DEFAULTS.readBufferSize());
    }
}
