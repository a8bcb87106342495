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

    private record Snapshot(long second, byte[] line) {
    }

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

    private static Snapshot format(long second) {
        String line = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n";
        return new Snapshot(second, line.getBytes(StandardCharsets.US_ASCII));
    }

    private HttpDate() {
    }
}
