package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelectorAlarmTest {

    @Test
    void wakesABlockedSelectAtTheSetTimeNotBefore() throws IOException {
        try (Selector selector = Selector.open(); SelectorAlarm alarm = new SelectorAlarm(selector, "test-alarm")) {
            for (int i = 0; i < 20; i++) {
                long at = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(300);
                alarm.wakeAt(at);
                selector.select(); // nothing registered: only the alarm can end it
                assertThat(System.nanoTime()).isGreaterThanOrEqualTo(at);
            }
        }
    }

    @Test
    void aNewTimeReplacesTheEarlierOne() throws IOException {
        try (Selector selector = Selector.open(); SelectorAlarm alarm = new SelectorAlarm(selector, "test-alarm")) {
            long start = System.nanoTime();
            alarm.wakeAt(start + TimeUnit.HOURS.toNanos(1));
            alarm.wakeAt(start + TimeUnit.MILLISECONDS.toNanos(1));
            selector.select(); // the test's timeout fails it if the hour stood
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
