package io.asyncbench.virtualthreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The read buffer's sizes: small until reads fill it, then doubling up to the limit. */
class GrowingReadBufferTest {

    @Test
    void staysAtItsFirstSizeWhileReadsLeaveRoom() {
        GrowingReadBuffer in = new GrowingReadBuffer(2048, 16384);
        for (int i = 0; i < 3; i++) {
            in.clearedToReadInto();
            in.received(2047);
        }
        assertThat(in.clearedToReadInto().capacity()).isEqualTo(2048);
    }

    @Test
    void doublesAfterEachReadThatFillsItUpToTheLimit() {
        GrowingReadBuffer in = new GrowingReadBuffer(2048, 6000);
        assertThat(fill(in)).isEqualTo(2048);
        assertThat(fill(in)).isEqualTo(4096);
        assertThat(fill(in)).isEqualTo(6000);
        assertThat(fill(in)).isEqualTo(6000);
    }

    @Test
    void receivedShowsExactlyTheBytesReadIntoTheArray() {
        GrowingReadBuffer in = new GrowingReadBuffer(8, 8);
        byte[] array = in.toReadInto();
        array[0] = 'G';
        array[1] = 'E';
        array[2] = 'T';
        ByteBuffer received = in.received(3);
        assertThat(received.remaining()).isEqualTo(3);
        byte[] bytes = new byte[3];
        received.get(bytes);
        assertThat(new String(bytes)).isEqualTo("GET");
    }

    @Test
    void refusesSizesThatCannotWork() {
        assertThatThrownBy(() -> new GrowingReadBuffer(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GrowingReadBuffer(10, 9)).isInstanceOf(IllegalArgumentException.class);
    }

    /** One read that fills the buffer; returns the capacity it was read into. */
    private static int fill(GrowingReadBuffer in) {
        ByteBuffer into = in.clearedToReadInto();
        int capacity = into.remaining();
        in.received(capacity);
        return capacity;
    }
}
