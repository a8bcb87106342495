package io.asyncbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.ServerCounters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    @Test
    void engineFactsRideOnTheStatsLineAndLeaveTheNumbersReadable() {
        ServerStats stats = ServerStats.sample(List.of(new ServerCounters()));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("netty.unsafe", "false");
        facts.put("netty.unsafeUnavailable", "a \"quoted\" {reason}\\");
        String line = ServerStats.withEngineFacts(stats.toJson(), facts);
        assertThat(ServerStats.parse(line)).isEqualTo(stats);
        assertThat(ServerStats.engineFacts(line)).containsExactly(
                Map.entry("netty.unsafe", "false"),
                Map.entry("netty.unsafeUnavailable", "a 'quoted' (reason)/"));
        assertThat(ServerStats.engineFacts(stats.toJson())).isEmpty();
        assertThat(ServerStats.engineFacts(ServerStats.withEngineFacts(stats.toJson(), Map.of()))).isEmpty();
    }
}
