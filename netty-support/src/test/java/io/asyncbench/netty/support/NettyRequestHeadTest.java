package io.asyncbench.netty.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.Limits;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpStatus;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Heads as Netty's decoder, configured by {@link NettyRequestHeaders#decoderConfig}, decodes them. */
class NettyRequestHeadTest {

    private static final Limits LIMITS = Limits.DEFAULTS;

    private static io.netty.handler.codec.http.HttpRequest decode(String request) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(NettyRequestHeaders.decoderConfig(LIMITS)));
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        io.netty.handler.codec.http.HttpRequest head = channel.readInbound();
        channel.finishAndReleaseAll();
        ReferenceCountUtil.release(head);
        return head;
    }

    private static HttpStatus refusal(String request) {
        try {
            NettyRequestHead.accept(decode(request), LIMITS);
            return null;
        } catch (HttpException e) {
            return e.status();
        }
    }

    @Test
    void acceptsAGoodHeadAsTheSpecSeesIt() throws HttpException {
        HttpRequest request = NettyRequestHead.accept(
                decode("GET /fanout?k=3&ms=5 HTTP/1.1\nHost: example\n\n"), LIMITS); // bare LFs
        assertThat(request.method()).isEqualTo(HttpMethod.GET);
        assertThat(request.endpoint()).isEqualTo(Endpoint.FANOUT);
        assertThat(request.http10()).isFalse();
        assertThat(request.keepAlive()).isTrue();
        assertThat(request.fanout()).isEqualTo(3);
        assertThat(request.delayMs()).isEqualTo(5);

        assertThat(NettyRequestHead.accept(decode("GET /plaintext HTTP/1.0\r\n\r\n"), LIMITS).keepAlive()).isFalse();
    }

    @Test
    void refusesWhatTheSpecRefusesWithItsStatus() {
        Object[][] refused = {
                {"GET /plaintext HTTP/1.1\r\n\r\n", HttpStatus.BAD_REQUEST},                          // no Host
                {"GET /plaintext HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", HttpStatus.BAD_REQUEST},
                {"GET /plaintext HTTP/1.1\r\nHost: a b\r\n\r\n", HttpStatus.BAD_REQUEST},
                {"POST /echo HTTP/1.0\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n", HttpStatus.BAD_REQUEST},
                {"BREW /json HTTP/1.1\r\nHost: t\r\n\r\n", HttpStatus.NOT_IMPLEMENTED},
                {"GET /json HTTP/1.2\r\nHost: t\r\n\r\n", HttpStatus.VERSION_NOT_SUPPORTED},
                {"GET /json http/1.1\r\nHost: t\r\n\r\n", HttpStatus.BAD_REQUEST},           // case-sensitive
                {"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n", HttpStatus.NOT_IMPLEMENTED},
                {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n", HttpStatus.CONTENT_TOO_LARGE},
                {"GET /delay?ms=%zz HTTP/1.1\r\nHost: t\r\n\r\n", HttpStatus.BAD_REQUEST},
        };
        for (Object[] request : refused) {
            assertThat(refusal((String) request[0])).as((String) request[0]).isEqualTo(request[1]);
        }
    }

    @Test
    void aHeadPastTheHeaderLimitIsTooLarge() {
        assertThat(refusal("GET /json HTTP/1.1\r\nHost: t\r\nX-Big: " + "x".repeat(LIMITS.maxHeaderBytes()) + "\r\n\r\n"))
                .isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void blankLinesBeforeAHeadCountTowardTheLimit() {
        String request = "GET /json HTTP/1.1\r\nHost: t\r\n\r\n";
        io.netty.handler.codec.http.HttpRequest head = decode(request);
        NettyRequestHead.addBlankLines(head, 2, LIMITS.maxHeaderBytes());
        assertThat(head.decoderResult().isSuccess()).as("a few").isTrue();

        NettyRequestHead.addBlankLines(head, LIMITS.maxHeaderBytes() - 10, LIMITS.maxHeaderBytes());
        assertThatThrownBy(() -> NettyRequestHead.accept(head, LIMITS))
                .isInstanceOfSatisfying(HttpException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE));
    }

    @Test
    void theHeadersCountTheFieldsTheDecoderMerges() {
        NettyRequestHeaders headers = (NettyRequestHeaders) decode(
                "POST /echo HTTP/1.0\r\nhost: a\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\n").headers();
        assertThat(headers.hostFields()).isEqualTo(1);
        assertThat(headers.contentLengthFields()).isEqualTo(2);
    }
}
