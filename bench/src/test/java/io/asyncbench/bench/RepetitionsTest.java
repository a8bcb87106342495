package io.asyncbench.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the measured iterations are split between fresh servers. */
class RepetitionsTest {

    @Test
    void iterationsAreSplitIntoEqualBlocksTheLastMaybeShorter() {
        assertThat(ServerUnderTest.iterationsPerRepetition(6, 2)).isEqualTo(3);
        assertThat(ServerUnderTest.iterationsPerRepetition(5, 2)).isEqualTo(3); // 3 + 2
        assertThat(ServerUnderTest.iterationsPerRepetition(5, 1)).isEqualTo(5);
    }

    @Test
    void neverMoreServersThanIterations() {
        assertThat(ServerUnderTest.iterationsPerRepetition(1, 2)).isEqualTo(1);
        assertThat(ServerUnderTest.iterationsPerRepetition(3, 0)).isEqualTo(3);
    }
}
