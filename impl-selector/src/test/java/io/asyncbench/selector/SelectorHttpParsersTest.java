package io.asyncbench.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.http.HttpRequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's parsers: reused last-in first-out, counted while lent, and a bounded spare list. */
class SelectorHttpParsersTest {

    private final SelectorHttpParsers parsers = new SelectorHttpParsers(null, Limits.DEFAULTS);

    @Test
    void theParserGivenBackLastIsLentNext() throws Exception {
        HttpRequestParser first = parsers.borrow();
        HttpRequestParser second = parsers.borrow();
        assertThat(second).isNotSameAs(first);
        assertThat(parsers.lent()).isEqualTo(2);

        // A whole request leaves the parser idle, as good as new for the next connection.
        ByteBuffer request = ByteBuffer.wrap("GET /json HTTP/1.1\r\nHost: t\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(second.parse(request)).isNotNull();
        assertThat(second.takeHeadStarted()).isFalse();
        assertThat(second.isIdle()).isTrue();
        parsers.giveBack(second);
        parsers.dropped(); // the first failed or its connection closed mid-request

        assertThat(parsers.lent()).isZero();
        assertThat(parsers.borrow()).isSameAs(second);
        assertThat(parsers.spare()).isZero();
    }

    @Test
    void sparesBeyondTheBoundAreLeftToTheGarbageCollector() {
        List<HttpRequestParser> lent = new ArrayList<>();
        for (int i = 0; i < SelectorHttpParsers.MAX_SPARE + 5; i++) {
            lent.add(parsers.borrow());
        }
        lent.forEach(parsers::giveBack);

        assertThat(parsers.spare()).isEqualTo(SelectorHttpParsers.MAX_SPARE);
        assertThat(parsers.lent()).isZero();
    }
}
