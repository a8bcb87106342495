package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class ImfFixdateTest {

    private static long read(String text) {
        byte[] bytes = ("xx" + text).getBytes(StandardCharsets.US_ASCII);
        return ImfFixdate.epochSecond(bytes, 2);
    }

    @Test
    void readsTheRfcExampleAndKnownInstants() {
        assertThat(read("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(784111777L);
        assertThat(read("Thu, 01 Jan 1970 00:00:00 GMT")).isZero();
        assertThat(read("Tue, 29 Feb 2000 23:59:59 GMT")).isEqualTo(951868799L);
    }

    @Test
    void agreesWithTheJdkEveryFewDaysOverTwoCenturies() {
        DateTimeFormatter imf = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);
        for (long s = -2_208_988_800L; s < 4_102_444_800L; s += 3 * 86_400L + 3_661) {
            assertThat(read(imf.format(Instant.ofEpochSecond(s)))).as("%d", s).isEqualTo(s);
        }
    }

    @Test
    void rejectsWhatIsNotAValidImfFixdate() {
        String[] wrong = {
            "Mon, 06 Nov 1994 08:49:37 GMT", // wrong day name for the date
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Thu, 29 Feb 2001 08:49:37 GMT",
            "Sun, 06 Nox 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:37 GMT",
            "Sun 06, Nov 1994 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT ",
            "Sun, 06 Nov 94 08:49:37 GMT  ",
            "Sun, 06 Nov 1994 08:49:3",
        };
        for (String text : wrong) {
            assertThat(read(text)).as(text).isEqualTo(-1);
        }
    }
}
