package io.asyncbench.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.load.ConnectionCounts;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Every JMH thread's share of the connections becomes one server entry, in connection order. */
class ConnectionFairnessTest {

    @Test
    void sharesAreJoinedInConnectionOrderWithGapsInMilliseconds() {
        Map<Integer, ConnectionCounts> shares = new TreeMap<>();
        shares.put(3, new ConnectionCounts(3, new long[] {30, 40}, new long[] {4_000_000, 1_234_567_890}, 900_000_000));
        shares.put(0, new ConnectionCounts(0, new long[] {0, 10, 20}, new long[] {900_000_000, 1_000_000, 2_500_000},
                901_000_000));
        ObjectNode server = ConnectionFairness.server(shares);
        assertThat(server.get("completed").toString()).isEqualTo("[0,10,20,30,40]");
        assertThat(server.get("longestGapMillis").toString()).isEqualTo("[900.0,1.0,2.5,4.0,1234.57]");
        assertThat(server.get("countedMillis").asDouble()).isEqualTo(901.0);
    }
}
