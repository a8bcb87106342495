package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StrategyFactsTest {

    @Test
    void badFactsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> StrategyFacts.of(10, "orange", "impl-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#rrggbb");
        assertThatThrownBy(() -> StrategyFacts.of(-1, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> StrategyFacts.of(10, null, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> StrategyFacts.of(10, null, null).withBackendRank(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts at 1");
    }

    @Test
    void aStrategyThatDeclaresNothingComesLastAndServesNoBackends() {
        Strategy plain = new Named("zeta", null);
        assertThat(plain.facts()).isEqualTo(StrategyFacts.UNDECLARED);
        assertThat(plain.facts().mayServeBackends()).isFalse();
        assertThat(plain.timersSameAs()).isEmpty();
    }

    @Test
    void listsFollowTheDeclaredOrderThenTheId() {
        Strategy late = new Named("alpha", StrategyFacts.of(70, null, null));
        Strategy early = new Named("omega", StrategyFacts.of(10, null, null));
        Strategy tied = new Named("beta", StrategyFacts.of(70, null, null));
        Strategy undeclared = new Named("aaa", null);
        assertThat(List.of(undeclared, late, tied, early).stream().sorted(Strategies.ORDER).map(Strategy::id))
                .containsExactly("omega", "alpha", "beta", "aaa");
    }

    @Test
    void backendsAreTheDeclaredCandidatesByRank() {
        Strategy second = new Named("second", StrategyFacts.of(10, null, null).withBackendRank(2));
        Strategy first = new Named("first", StrategyFacts.of(90, null, null).withBackendRank(1));
        Strategy never = new Named("never", StrategyFacts.of(5, null, null));
        assertThat(Strategies.backendCandidates(List.of(second, never, first)).stream().map(Strategy::id))
                .containsExactly("first", "second");
    }

    /** A strategy with only an id and (unless null) facts. */
    private record Named(String id, StrategyFacts declared) implements Strategy {

        @Override
        public String description() {
            return id;
        }

        @Override
        public Availability availability() {
            return Availability.availableHere();
        }

        @Override
        public Set<ServerWorkload> serverWorkloads() {
            return Set.of();
        }

        @Override
        public RunningServer start(ServerSpec spec) {
            throw new UnsupportedWorkloadException(this, spec.workload());
        }

        @Override
        public StrategyFacts facts() {
            return declared == null ? Strategy.super.facts() : declared;
        }
    }
}
