package io.asyncbench.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Date line: its text for known seconds, and the one length encodedLength counts on. */
class HttpDateTest {

    @ParameterizedTest
    @CsvSource({
        "0, 'Date: Thu, 01 Jan 1970 00:00:00 GMT'",
        "1780000000, 'Date: Thu, 28 May 2026 20:26:40 GMT'",
        "253402300799, 'Date: Fri, 31 Dec 9999 23:59:59 GMT'",
    })
    void formatsAnImfFixdateOfTheOneLengthEveryAnswerCounts(long second, String expected) {
        byte[] line = HttpDate.format(second).line();
        assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo(expected + "\r\n");
        assertThat(line).hasSize(HttpDate.LINE_LENGTH);
    }
}
