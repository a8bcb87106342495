package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NettyHeadStartTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aReadOpensAHeadThatTheDecodedHeadEnds() {
        NettyHeadStart heads = new NettyHeadStart(100);
        assertThat(heads.read(bytes("GET / HT"))).isTrue();
        assertThat(heads.headOpen()).isTrue();
        assertThat(heads.readComplete()).as("a head still open at the end of the read starts its clock").isTrue();

        assertThat(heads.read(bytes("TP/1.1\r\n\r\n"))).isTrue();
        assertThat(heads.readComplete()).as("the clock started with the first read, not again").isFalse();
        assertThat(heads.headEnded()).isZero();
        assertThat(heads.headOpen()).isFalse();
    }

    @Test
    void aWholeHeadInOneReadStartsNoClock() {
        NettyHeadStart heads = new NettyHeadStart(100);
        heads.read(bytes("GET / HTTP/1.1\r\n\r\n"));
        heads.headEnded(); // the decoder decodes it before the read ends
        assertThat(heads.readComplete()).isFalse();
    }

    @Test
    void aBodyIsNotAHeadUntilTheRequestEnds() {
        NettyHeadStart heads = new NettyHeadStart(100);
        heads.read(bytes("POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\n"));
        heads.headEnded();
        heads.readComplete();

        heads.read(bytes("body"));
        assertThat(heads.headOpen()).isFalse();
        heads.requestEnded();
        heads.read(bytes("GET"));
        assertThat(heads.headOpen()).isTrue();
    }

    @Test
    void countsTheBlankLinesBeforeARequestLineUpToTheLimit() {
        NettyHeadStart heads = new NettyHeadStart(10);
        assertThat(heads.read(bytes("\r\n\r\n"))).isTrue();
        heads.readComplete();
        assertThat(heads.read(bytes("\r\nGET / HTTP/1.1\r\n\r\n"))).isTrue();
        assertThat(heads.headEnded()).isEqualTo(6);

        heads.requestEnded();
        assertThat(heads.read(bytes("\r\n".repeat(4)))).isTrue();
        assertThat(heads.read(bytes("\r\n\r\n"))).as("ten bytes: the limit").isFalse();
    }

    @Test
    void blankLinesAfterTheRequestLineBeganAreNotCounted() {
        NettyHeadStart heads = new NettyHeadStart(4);
        heads.read(bytes("GET / HTTP/1.1\r\n"));
        assertThat(heads.read(bytes("\r\n\r\n\r\n"))).isTrue();
        assertThat(heads.headEnded()).isZero();
    }

    @Test
    void opensNoHeadOnceStopped() {
        NettyHeadStart heads = new NettyHeadStart(100);
        heads.read(bytes("GET"));
        heads.stop();
        assertThat(heads.headOpen()).isFalse();
        assertThat(heads.read(bytes("\r\n".repeat(100)))).isTrue();
        assertThat(heads.headOpen()).isFalse();
    }

    @Test
    void emptyBuffersAndOtherMessagesPassUnseen() {
        NettyHeadStart heads = new NettyHeadStart(100);
        assertThat(heads.read(Unpooled.EMPTY_BUFFER)).isTrue();
        assertThat(heads.read("not bytes")).isTrue();
        assertThat(heads.headOpen()).isFalse();
    }
}
