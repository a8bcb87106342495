package io.asyncbench.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gate on its own, between the spec's codec and a stand-in for reactor-netty (the messages
 * the gate hands on): what it refuses, with which status, and that it hands on pipelined
 * requests one at a time.
 */
@Timeout(10)
class ReactorRequestGateTest {

    private final ServerCounters counters = new ServerCounters();

    private EmbeddedChannel channel() {
        Limits limits = Limits.DEFAULTS;
        return new EmbeddedChannel(
                new ReactorHeadClock(limits.headDeadline().toNanos(), limits.maxHeaderBytes(), counters, () -> false),
                ReactorHttpCodec.create(limits),
                new ReactorRequestGate(counters, limits));
    }

    private static List<HttpRequest> heads(EmbeddedChannel channel) {
        List<HttpRequest> heads = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof HttpRequest head) {
                heads.add(head);
            }
            ReferenceCountUtil.release(msg);
        }
        return heads;
    }

    private static void write(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void passesAGoodRequestAndRefusesBadOnesWithTheSpecsStatus() {
        EmbeddedChannel good = channel();
        write(good, "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(heads(good)).singleElement().satisfies(head -> {
            assertThat(head.uri()).isEqualTo("/plaintext");
            assertThat(head.headers().contains(ReactorRequestGate.REFUSED)).isFalse();
        });

        String[][] bad = {
                {"GET /plaintext HTTP/1.1\r\n\r\n", "400"},                                   // no Host
                {"BREW /json HTTP/1.1\r\nHost: t\r\n\r\n", "501"},                            // unknown method
                {"GET /json HTTP/1.2\r\nHost: t\r\n\r\n", "505"},
                {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n", "413"},
                {"POST /echo HTTP/1.0\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi!", "400"},
                {"GET /delay?ms=%zz HTTP/1.1\r\nHost: t\r\n\r\n", "400"},
                {"GET /json HTTP/1.1\r\nHost: t\r\nX-Big: " + "x".repeat(9000) + "\r\n\r\n", "431"},
        };
        for (String[] request : bad) {
            EmbeddedChannel channel = channel();
            write(channel, request[0] + "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(heads(channel)).as(request[0]).singleElement()
                    .satisfies(head -> assertThat(head.headers().get(ReactorRequestGate.REFUSED)).isEqualTo(request[1]));
            channel.finishAndReleaseAll();
        }
        assertThat(counters.errors()).isEqualTo(bad.length);
    }

    @Test
    void stripsTheRefusalHeaderAClientSends() {
        EmbeddedChannel channel = channel();
        write(channel, "GET /plaintext HTTP/1.1\r\nHost: t\r\n" + ReactorRequestGate.REFUSED + ": 404\r\n\r\n");
        assertThat(heads(channel)).singleElement()
                .satisfies(head -> assertThat(head.headers().contains(ReactorRequestGate.REFUSED)).isFalse());
    }

    @Test
    void handsOnPipelinedRequestsOneAtATime() {
        EmbeddedChannel channel = channel();
        write(channel, "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /json HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(heads(channel)).extracting(HttpRequest::uri).containsExactly("/plaintext");

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(heads(channel)).as("nothing before reactor-netty let go of the first").isEmpty();
        channel.pipeline().fireUserEventTriggered(operationsTerminated());
        channel.runPendingTasks();
        assertThat(heads(channel)).extracting(HttpRequest::uri).containsExactly("/json");
        channel.finishAndReleaseAll();
    }

    /** reactor-netty's package-private HttpServerOperationsTerminatedEvent.INSTANCE. */
    private static Object operationsTerminated() {
        try {
            var field = Class.forName("reactor.netty.http.server.HttpServerOperationsTerminatedEvent")
                    .getDeclaredField("INSTANCE");
            field.setAccessible(true);
            return field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void answersHttp10InHttp11AndSaysClose() {
        EmbeddedChannel channel = channel();
        write(channel, "GET /plaintext HTTP/1.0\r\n\r\n");
        heads(channel);
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK));
        Object encoded = channel.readOutbound();
        String head = ((io.netty.buffer.ByteBuf) encoded).toString(StandardCharsets.US_ASCII);
        ReferenceCountUtil.release(encoded);
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n");
        channel.finishAndReleaseAll();
    }
}
