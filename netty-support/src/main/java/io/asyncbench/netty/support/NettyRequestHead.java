package io.asyncbench.netty.support;

import io.asyncbench.api.Limits;
import io.asyncbench.api.http.Endpoint;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpMethod;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpStatus;
import io.asyncbench.api.http.HttpSyntax;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.util.HashMap;
import java.util.Map;

/**
 * The spec's checks (io.asyncbench.api.http, "Request syntax") on a request head Netty's decoder
 * decoded with {@link NettyRequestHeaders#decoderConfig}: what the decoder does not check itself.
 */
public final class NettyRequestHead {

    private static final byte[] NO_BODY = new byte[0];

    /** Netty's method constants to the spec's methods; any other method is unknown (501). */
    private static final Map<io.netty.handler.codec.http.HttpMethod, HttpMethod> METHODS = new HashMap<>();

    static {
        for (HttpMethod method : HttpMethod.values()) {
            METHODS.put(io.netty.handler.codec.http.HttpMethod.valueOf(method.name()), method);
        }
    }

    private NettyRequestHead() {
    }

    /**
     * Counts the blank lines before {@code head} ({@link NettyHeadDeadline#headEnded}) toward the
     * header limit, as the api parser does: past it, the head is marked as failed, too large.
     */
    public static void addBlankLines(io.netty.handler.codec.http.HttpRequest head, int blankBytes, int maxHeaderBytes) {
        if (blankBytes > 0 && head.decoderResult() instanceof HttpMessageDecoderResult sizes
                && sizes.totalSize() + blankBytes > maxHeaderBytes) {
            head.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException(
                    "request line and headers, and the blank lines before them, exceed " + maxHeaderBytes + " bytes")));
        }
    }

    /**
     * The spec's view of a decoded head (its body, if any, yet to come), or the status that
     * refuses it. The checks run in the order of the api's HttpRequestParser, so that a request
     * with several faults gets the same status from every strategy where the decoder lets it.
     */
    public static HttpRequest accept(io.netty.handler.codec.http.HttpRequest head, Limits limits) throws HttpException {
        DecoderResult decoded = head.decoderResult();
        if (decoded.isFailure()) {
            Throwable cause = decoded.cause();
            // TooLongHttpLineException, TooLongHttpHeaderException; anything else is malformed.
            throw new HttpException(cause instanceof TooLongFrameException
                    ? HttpStatus.HEADER_FIELDS_TOO_LARGE : HttpStatus.BAD_REQUEST, String.valueOf(cause.getMessage()));
        }
        int maxHeaderBytes = limits.maxHeaderBytes();
        if (decoded instanceof HttpMessageDecoderResult sizes && sizes.totalSize() > maxHeaderBytes) {
            throw new HttpException(HttpStatus.HEADER_FIELDS_TOO_LARGE,
                    "request line and headers exceed " + maxHeaderBytes + " bytes");
        }
        NettyRequestHeaders fields = (NettyRequestHeaders) head.headers();
        if (fields.contentLengthFields() > 1) {
            // HTTP/1.1 duplicates already failed in the decoder; for HTTP/1.0 it keeps the first.
            throw new HttpException(HttpStatus.BAD_REQUEST, "more than one Content-Length");
        }
        HttpMethod method = METHODS.get(head.method());
        if (method == null) {
            throw new HttpException(HttpStatus.NOT_IMPLEMENTED, "unknown method");
        }
        String target = head.uri();
        Endpoint endpoint = HttpSyntax.endpoint(target);
        HttpVersion version = head.protocolVersion();
        boolean http10 = version == HttpVersion.HTTP_1_0;
        if (!http10 && version != HttpVersion.HTTP_1_1) {
            // The decoder lets only HTTP/<digit>.<digit>, in any case, come this far, and gives its
            // constants for exactly HTTP/1.0 and HTTP/1.1: an equal version was spelled otherwise.
            if (HttpVersion.HTTP_1_0.equals(version) || HttpVersion.HTTP_1_1.equals(version)) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "the HTTP version is case-sensitive");
            }
            throw new HttpException(HttpStatus.VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1");
        }
        if (head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            throw new HttpException(HttpStatus.NOT_IMPLEMENTED,
                    "Transfer-Encoding request bodies are not accepted; send Content-Length");
        }
        int hosts = fields.hostFields();
        if (hosts > 1 || hosts == 0 && !http10
                || hosts == 1 && !HttpSyntax.isValidHost(head.headers().get(HttpHeaderNames.HOST))) {
            throw new HttpException(HttpStatus.BAD_REQUEST,
                    "HTTP/1.1 needs exactly one valid Host header, HTTP/1.0 at most one");
        }
        int delayMs = 0;
        int fanout = 0;
        if (endpoint == Endpoint.DELAY || endpoint == Endpoint.FANOUT) {
            delayMs = HttpSyntax.queryParameter(target, "ms", 0, 60_000);
            if (endpoint == Endpoint.FANOUT) {
                fanout = HttpSyntax.queryParameter(target, "k", 1, limits.maxFanOut());
            }
        }
        long length = HttpUtil.getContentLength(head, 0L);
        if (length > limits.maxBodyBytes()) {
            throw new HttpException(HttpStatus.CONTENT_TOO_LARGE,
                    "body of " + length + " bytes exceeds " + limits.maxBodyBytes());
        }
        return new HttpRequest(method, endpoint, http10, HttpUtil.isKeepAlive(head), delayMs, fanout, NO_BODY);
    }
}
