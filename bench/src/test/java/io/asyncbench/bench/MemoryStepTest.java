package io.asyncbench.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Memory per connection arithmetic on figures with known answers. */
class MemoryStepTest {

    @Test
    void memoryPerConnectionIsTheSlopeBetweenTwoCounts() {
        MemoryStep.Result r = new MemoryStep.Result("x", 256, 4096, 600_000_000L, 638_400_000L,
                10_000_000L, 29_200_000L, 1234);
        assertThat(r.rssBytesPerConnection()).isEqualTo(10_000.0);
        assertThat(r.liveHeapBytesPerConnection()).isEqualTo(5_000.0);
        assertThat(r.bytesPerConnection()).isEqualTo(15_000.0);
        assertThat(MemoryStep.slope(100, 50, 0, 10)).isEqualTo(-5.0);
        assertThatThrownBy(() -> MemoryStep.slope(0, 1, 10, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
