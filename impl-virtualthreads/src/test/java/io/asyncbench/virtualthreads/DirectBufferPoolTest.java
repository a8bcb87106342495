package io.asyncbench.virtualthreads;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Lending and taking back output buffers. */
class DirectBufferPoolTest {

    @Test
    void lendsClearedDirectBuffersOfItsSize() {
        DirectBufferPool pool = new DirectBufferPool(1024, 4);
        ByteBuffer buffer = pool.take();
        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.capacity()).isEqualTo(1024);
        assertThat(buffer.position()).isZero();
        assertThat(buffer.limit()).isEqualTo(1024);
    }

    @Test
    void givesTheLastBufferGivenBackFirstAndCleared() {
        DirectBufferPool pool = new DirectBufferPool(64, 4);
        ByteBuffer first = pool.take();
        ByteBuffer second = pool.take();
        first.put((byte) 1).flip();
        pool.give(first);
        pool.give(second);

        assertThat(pool.take()).isSameAs(second);
        ByteBuffer again = pool.take();
        assertThat(again).isSameAs(first);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(64);
        assertThat(pool.kept()).isZero();
    }

    @Test
    void keepsNoMoreThanItsLimit() {
        DirectBufferPool pool = new DirectBufferPool(64, 2);
        ByteBuffer[] lent = {pool.take(), pool.take(), pool.take()};
        for (ByteBuffer buffer : lent) {
            pool.give(buffer);
        }
        assertThat(pool.kept()).isEqualTo(2);
    }
}
