package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FmtTest {

    @Test
    void instantsReadAsUtcSecondsAndAnythingElsePassesThrough() {
        assertThat(Fmt.when("2026-11-25T22:11:44.077297804Z")).isEqualTo("2026-11-25 22:11:44 UTC");
        assertThat(Fmt.when("yesterday <b>")).isEqualTo("yesterday <b>");
        assertThat(Fmt.when(null)).isNull();
    }
}
