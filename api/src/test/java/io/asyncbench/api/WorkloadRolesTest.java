package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The two roles a workload plays, and how a strategy declares them. */
class WorkloadRolesTest {

    /** Serves echo only; plays the timers when given a sleeper. */
    private record Fake(Optional<IntFunction<Sleeper>> sleepers) implements Strategy {
        public String id() {
            return "fake";
        }

        public String description() {
            return "test double";
        }

        public Availability availability() {
            return Availability.availableHere();
        }

        public Set<ServerWorkload> serverWorkloads() {
            return Set.of(ServerWorkload.ECHO);
        }

        public RunningServer start(ServerSpec spec) throws IOException {
            throw new UnsupportedWorkloadException(this, spec.workload());
        }
    }

    @Test
    void theServerWorkloadsAreEveryWorkloadButTheTimers() {
        assertThat(Arrays.stream(ServerWorkload.values()).map(ServerWorkload::workload))
                .containsExactly(Workload.ECHO, Workload.HTTP, Workload.GATEWAY, Workload.PROXY);
        for (ServerWorkload server : ServerWorkload.values()) {
            assertThat(server.id()).isEqualTo(server.workload().id());
            assertThat(server.workload().server()).contains(server);
            assertThat(server.workload().role()).isEqualTo(Workload.Role.SERVER);
        }
        assertThat(Workload.TIMERS.server()).isEmpty();
        assertThat(Workload.TIMERS.role()).isEqualTo(Workload.Role.IN_PROCESS);
    }

    @Test
    void aSpecIsForAServerWorkloadOnly() {
        assertThat(ServerSpec.loopback(Workload.HTTP).serverWorkload()).isEqualTo(ServerWorkload.HTTP);
        assertThatThrownBy(() -> ServerSpec.loopback(Workload.TIMERS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in process");
    }

    @Test
    void aStrategyPlaysItsServerWorkloadsAndTheTimersOnlyWithASleeper() {
        Strategy serverOnly = new Fake(Optional.empty());
        assertThat(Arrays.stream(Workload.values()).filter(serverOnly::plays)).containsExactly(Workload.ECHO);
        assertThatThrownBy(() -> serverOnly.timers(1))
                .isInstanceOf(UnsupportedWorkloadException.class).hasMessageContaining("timers");

        Sleeper sleeper = new Sleeper() {
            public TimerFanOut.Capacity capacity() {
                return new TimerFanOut.Capacity(3, "three");
            }

            public void wakeAfter(long delayNanos, Runnable wake) {
                wake.run();
            }

            public void close() {
            }
        };
        Strategy sleeping = new Fake(Optional.of(threads -> sleeper));
        assertThat(sleeping.plays(Workload.TIMERS)).isTrue();
        assertThat(sleeping.plays(Workload.HTTP)).isFalse();
        try (TimerFanOut timers = sleeping.timers(1)) {
            assertThat(timers.capacity().maxTasks()).isEqualTo(3);
        }
    }
}
