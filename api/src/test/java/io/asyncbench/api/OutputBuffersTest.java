package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Lending and taking back output buffers. */
class OutputBuffersTest {

    @Test
    void lendsDirectBuffersAndReusesTheLastGivenBackFirst() {
        OutputBuffers buffers = new OutputBuffers(1024, 2);
        ByteBuffer first = buffers.take(100);
        ByteBuffer second = buffers.take(1024);
        assertThat(first.isDirect()).isTrue();
        assertThat(first.capacity()).isEqualTo(1024);
        assertThat(second).isNotSameAs(first);
        first.put(new byte[10]);
        buffers.give(first);
        buffers.give(second);
        assertThat(buffers.kept()).isEqualTo(2);
        ByteBuffer again = buffers.take(10);
        assertThat(again).as("last in, first out").isSameAs(second);
        assertThat(buffers.take(10)).isSameAs(first);
        assertThat(first.position()).as("cleared when given back").isZero();
        assertThat(buffers.kept()).isZero();
    }

    @Test
    void keepsAtMostMaxKeptAndNeverABatchLargerThanItsBuffers() {
        OutputBuffers buffers = new OutputBuffers(64, 1);
        ByteBuffer large = buffers.take(65);
        assertThat(large.isDirect()).isFalse();
        assertThat(large.capacity()).as("exactly the batch").isEqualTo(65);
        buffers.give(large);
        assertThat(buffers.kept()).isZero();
        buffers.give(buffers.take(1));
        buffers.give(ByteBuffer.allocateDirect(64));
        assertThat(buffers.kept()).isEqualTo(1);
        assertThatThrownBy(() -> new OutputBuffers(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
