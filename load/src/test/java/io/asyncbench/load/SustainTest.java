package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The rule that says whether an open-loop run kept up with its rate. */
class SustainTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aRunThatSentAndCompletedEverythingOnTimeIsSustained() {
        Sustain.Judgement j = Sustain.judge(10_000, 10_000, 9_990, -5 * MS, SECOND, 40_000);
        assertThat(j.sustained()).isTrue();
        assertThat(j.reasons()).isEmpty();
    }

    @Test
    void ninetySevenPercentIsTheEdgeForSentAndCompleted() {
        assertThat(Sustain.judge(10_000, 9_700, 9_700, 0, SECOND, 0).sustained()).isTrue();
        Sustain.Judgement sent = Sustain.judge(10_000, 9_699, 9_700, 0, SECOND, 0);
        assertThat(sent.sustained()).isFalse();
        assertThat(sent.reasons()).containsExactly("sent 9,699/s of 10,000/s");
        Sustain.Judgement completed = Sustain.judge(10_000, 10_000, 9_000, 0, SECOND, 0);
        assertThat(completed.reasons()).containsExactly("completed 9,000/s of 10,000/s");
    }

    @Test
    void aWindowThatOverranItsGraceFellBehind() {
        // grace: a tenth of the window, at least 100 ms
        assertThat(Sustain.grace(SECOND)).isEqualTo(100 * MS);
        assertThat(Sustain.grace(20 * SECOND)).isEqualTo(2 * SECOND);
        assertThat(Sustain.judge(1000, 1000, 1000, 100 * MS, SECOND, 0).sustained()).isTrue();
        Sustain.Judgement late = Sustain.judge(1000, 1000, 1000, 283 * MS, SECOND, 0);
        assertThat(late.sustained()).isFalse();
        assertThat(late.reasons()).containsExactly("the last reply came 283 ms after the window");
    }

    @Test
    void aClientThatSentLateFellBehindEvenIfEverythingCameBack() {
        Sustain.Judgement j = Sustain.judge(50_000, 50_000, 50_000, 0, SECOND, 1_500_000);
        assertThat(j.sustained()).isFalse();
        assertThat(j.reasons()).containsExactly("requests left 1.50 ms late (median)");
        assertThat(Sustain.judge(50_000, 50_000, 50_000, 0, SECOND, MS).sustained()).isTrue();
    }

    @Test
    void everyReasonIsListed() {
        Sustain.Judgement j = Sustain.judge(1000, 500, 400, 2 * SECOND, SECOND, 300 * MS);
        assertThat(j.reasons()).hasSize(4);
    }

    @Test
    void nonsenseInputIsRefused() {
        assertThatThrownBy(() -> Sustain.judge(0, 0, 0, 0, SECOND, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sustain.judge(10, 10, 10, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
