package io.asyncbench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcceptFailuresTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final SocketException EMFILE = new SocketException("Too many open files");

    private long now = 5_000 * MS;
    private final List<String> lines = new ArrayList<>();
    private final AcceptFailures failures = new AcceptFailures("127.0.0.1:8080", () -> now, lines::add);

    @Test
    void theFirstFailureIsReportedAtOnceWithoutACount() {
        failures.failed(EMFILE);

        assertThat(lines).containsExactly("accept failed on 127.0.0.1:8080: " + EMFILE
                + "; backing off, the listener stays open");
    }

    @Test
    void failuresWithinASecondAreCountedAndTheNextLineSaysHowMany() {
        failures.failed(EMFILE);
        for (int i = 0; i < 99; i++) {
            now += 10 * MS; // a back-off of 10 ms: 99 more failures in 990 ms
            failures.failed(EMFILE);
        }
        assertThat(lines).hasSize(1);
        assertThat(failures.suppressed()).isEqualTo(99);

        now += 10 * MS; // one second after the first line
        failures.failed(EMFILE);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("(and 99 more in the last second, not shown)");
        assertThat(failures.suppressed()).isZero();
    }

    @Test
    void atMostOneLinePerSecondOverALongOutage() {
        for (int i = 0; i < 10_000; i++) { // 10 s of failures every millisecond
            failures.failed(EMFILE);
            now += MS;
        }
        assertThat(lines).hasSize(10);
    }

    @Test
    void aLoggerThatThrowsDoesNotReachTheAcceptLoop() {
        AcceptFailures broken = new AcceptFailures("x", () -> now, line -> {
            throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile");
        });

        broken.failed(EMFILE); // must not throw

        now += 2_000 * MS;
        broken.failed(EMFILE);
        assertThat(broken.suppressed()).isZero();
    }
}
