package io.asyncbench.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.ServerCounters;

import java.util.List;

import org.junit.jupiter.api.Test;

class ServerStatsTest {

    @Test
    void samplesThisProcessAndSurvivesTheControlChannel() {
        ServerCounters counters = new ServerCounters();
        counters.connectionOpened();
        counters.bytesRead(10);
        counters.requestServed();
        ServerStats stats = ServerStats.sample(List.of(counters, new ServerCounters()));
        assertThat(stats.cpuNanos()).isPositive();
        assertThat(stats.allocatedBytes()).isPositive();
        assertThat(stats.connectionsOpened()).isEqualTo(1);
        assertThat(stats.requests()).isEqualTo(1);
        assertThat(stats.compileMillis()).as("HotSpot reports its JIT time; the warm-up waits on it").isNotNegative();
        assertThat(ServerStats.parse(stats.toJson())).isEqualTo(stats);
        assertThatThrownBy(() -> ServerStats.parse("{\"cpuNanos\":1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allocatedBytes");
    }
}
