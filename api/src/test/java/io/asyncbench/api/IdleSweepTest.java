package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The idle sweep's decisions on synthetic deadlines (each style's module tests its effect on a real server). */
class IdleSweepTest {

    private static final long NOT_WAITING = IdleSweep.NOT_WAITING;

    @Test
    void expiresTheReadsPastTheirDeadlineAndReturnsTheEarliestStillToCome() {
        Map<String, Long> deadlines = new LinkedHashMap<>();
        deadlines.put("overdue", 90L);
        deadlines.put("due now", 100L);
        deadlines.put("later", 250L);
        deadlines.put("soonest", 130L);
        deadlines.put("busy", NOT_WAITING); // answering, not waiting for its client
        List<String> expired = new ArrayList<>();

        long earliest = IdleSweep.sweep(deadlines.keySet(), deadlines::get, 100, expired::add);

        assertThat(expired).containsExactly("overdue", "due now");
        assertThat(earliest).isEqualTo(130);
    }

    @Test
    void aSweepWithNothingWaitingReportsNoDeadline() {
        Map<String, Long> deadlines = Map.of("busy", NOT_WAITING);
        assertThat(IdleSweep.sweep(deadlines.keySet(), deadlines::get, 1_000, name -> {
            throw new AssertionError("nothing to expire: " + name);
        })).isEqualTo(NOT_WAITING);
        assertThat(IdleSweep.sweep(List.<String>of(), name -> 0L, 1_000, name -> { })).isEqualTo(NOT_WAITING);
    }

    @Test
    void sleepsUntilTheEarliestDeadlineButNeitherLongerThanATimeoutNorShorterThanTheGranularity() {
        long timeout = 1_000;
        long granularity = 100;
        assertThat(IdleSweep.nextSweep(5_000, 5_400, timeout, granularity)).isEqualTo(5_400);
        assertThat(IdleSweep.nextSweep(5_000, NOT_WAITING, timeout, granularity))
                .as("nothing waiting: a read starting now is due a timeout from now").isEqualTo(6_000);
        assertThat(IdleSweep.nextSweep(5_000, 5_001, timeout, granularity))
                .as("many falling due one after the other").isEqualTo(5_100);
        assertThat(IdleSweep.nextSweep(0, Long.MAX_VALUE / 4 + 1, Long.MAX_VALUE / 4, 1))
                .as("the longest timeout does not overflow").isEqualTo(Long.MAX_VALUE / 4);
    }

    @Test
    void aPassExpiresWhatIsOverdueNowAndWaitsAtLeastTheGranularityAtMostATimeout() {
        IdleSweep idle = new IdleSweep(Duration.ofSeconds(2));
        long now = idle.now();
        Map<String, Long> deadlines = new LinkedHashMap<>();
        deadlines.put("overdue", now - 1);
        deadlines.put("far", now + Duration.ofHours(1).toNanos());
        List<String> expired = new ArrayList<>();

        long delay = idle.sweep(deadlines.keySet(), deadlines::get, expired::add);

        assertThat(expired).containsExactly("overdue");
        assertThat(delay).isBetween(1L, Duration.ofSeconds(2).toNanos());
        assertThat(idle.deadlineFromNow() - idle.now()).isGreaterThan(Duration.ofMillis(1900).toNanos());
        assertThat(idle.firstDelayNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void aTimeoutTooLongToCountIsNeverDueAndNeverOverflows() {
        IdleSweep never = new IdleSweep(Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(never.deadlineFromNow()).isPositive().isLessThan(NOT_WAITING);
    }
}
