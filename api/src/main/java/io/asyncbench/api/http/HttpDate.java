package io.asyncbench.api.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date:} header line, formatted at most once a second (TechEmpower's rule) and shared
 * by every connection: a volatile snapshot, so no lock and no background thread.
 */
public final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                    .withZone(ZoneOffset.UTC);

    record Snapshot(long second, byte[] line) {
    }

    /**
     * Bytes in {@link #headerLine()}, the same every second: an IMF-fixdate has a fixed width (two
     * day digits, a four-digit year until 9999). So a length is known without reading the clock.
     */
    static final int LINE_LENGTH = "Date: Wed, 25 Nov 2026 18:00:00 GMT\r\n".length();

    private static volatile Snapshot current = format(System.currentTimeMillis() / 1000);

    /** {@code Date: Wed, 25 Nov 2026 18:00:00 GMT\r\n}, for the current second. Do not modify. */
    static byte[] headerLine() {
        long second = System.currentTimeMillis() / 1000;
        Snapshot snapshot = current;
        if (snapshot.second != second) {
            snapshot = format(second);
            current = snapshot;
        }
        return snapshot.line;
    }

    /** The current date value, as it appears after {@code Date: }. */
    public static String now() {
        byte[] line = headerLine();
        return new String(line, 6, line.length - 8, StandardCharsets.US_ASCII);
    }

    /** The line for {@code second} (epoch seconds, UTC); package-private for tests. */
    static Snapshot format(long second) {
        String line = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n";
        if (line.length() != LINE_LENGTH) {
            throw new IllegalStateException("an IMF-fixdate line of " + line.length() + " bytes: " + line);
        }
        return new Snapshot(second, line.getBytes(StandardCharsets.US_ASCII));
    }

    private HttpDate() {
    }
}
