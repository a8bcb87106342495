package io.asyncbench.cli;

import io.asyncbench.harness.cli.ExitStatus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DemoCommandTest {

    @Test
    void verifiesAnEchoServerAndListsUnavailableStrategies() {
        Cli.Run run = Cli.execute("demo", "-s", "fake-echo", "-s", "fake-unavailable",
                "--seconds", "0.3", "--connections", "4", "--size", "100");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("(?m)^STRATEGY +ROUND TRIPS/S +ROUND TRIPS +MIB/S +ERRORS +RESULT$")
                .containsPattern("(?m)^fake-echo +[\\d,]+ +[\\d,]+ +[\\d.,]+ +0 +ok$")
                .containsPattern("(?m)^fake-unavailable .* unavailable: "
                        + FakeStrategies.UNAVAILABLE_REASON + "$")
                .contains("1 of 2 strategies echoed every byte correctly.");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aCorruptedReplyFailsTheDemo() {
        Cli.Run run = Cli.execute("demo", "-s", "fake-echo", "-s", "fake-corrupting",
                "--seconds", "0.3", "--connections", "2", "--size", "64");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.FAILED.code);
        assertThat(run.out())
                .containsPattern("(?m)^fake-echo .* ok$")
                .containsPattern("(?m)^fake-corrupting +[\\d,]+ +[\\d,]+ +[\\d.,]+ +2 +FAILED$")
                .contains("fake-corrupting: connection 1: round trip 1: wrong echo: byte 5 of 64 of message 1");
        assertThat(run.err()).contains("2 problem(s)");
    }

    @Test
    void onlyUnavailableStrategiesIsAFailure() {
        Cli.Run run = Cli.execute("demo", "-s", "fake-unavailable", "--seconds", "0.1");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.FAILED.code);
        assertThat(run.err()).contains("no strategy could run the echo demo");
    }
}
