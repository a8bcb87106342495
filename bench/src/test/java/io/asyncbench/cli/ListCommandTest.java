package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ListCommandTest {

    @Test
    void listsEveryDiscoveredStrategyAndWorkload() {
        Cli.Run run = Cli.execute("list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        for (Strategy strategy : Strategies.all()) {
            assertThat(run.out()).containsPattern("(?m)^" + strategy.id() + " +(yes|no \\[\\d+]) ")
                    .contains(strategy.description());
        }
        for (Workload workload : Workload.values()) {
            assertThat(run.out()).containsPattern("(?m)^" + workload.id() + " ")
                    .contains(workload.description());
        }
    }

    @Test
    void unavailableStrategiesSayWhy() {
        Cli.Run run = Cli.execute("list");

        assertThat(run.out())
                .containsPattern("(?m)^fake-unavailable +no \\[(\\d+)] +echo ")
                .containsPattern("(?m)^\\[\\d+] fake-unavailable is unavailable: "
                        + FakeStrategies.UNAVAILABLE_REASON + "$")
                .containsPattern("(?m)^fake-echo +yes +echo +test double: fake-echo$");
    }

    @Test
    void idsListsTheStrategiesThatRunHereOneALineInTheirOrder() {
        Cli.Run run = Cli.execute("list", "--ids");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().toList()).isEqualTo(Strategies.all().stream()
                .filter(s -> s.availability().available()).map(Strategy::id).toList())
                .contains("fake-echo").doesNotContain("fake-unavailable");
    }
}
