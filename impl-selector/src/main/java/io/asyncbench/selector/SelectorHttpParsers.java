package io.asyncbench.selector;

import io.asyncbench.api.Limits;
import io.asyncbench.api.http.HttpRequestParser;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The HTTP request parsers of one loop, lent to a connection only while it holds part of a
 * request. A reactor reads every connection into its loop's one buffer, so a connection between
 * requests (every idle keep-alive connection) needs no parser of its own, nor the head array the
 * parser copies a head into (up to {@code maxHeaderBytes}). Borrowed before a read is parsed and
 * given back once the read ended on a request boundary, one parser serves all the loop's
 * connections that send whole requests, and stays in the CPU's cache. Touched by its loop's
 * thread only.
 */
final class SelectorHttpParsers {

    /** Spare parsers kept once given back; beyond these, returned ones are left to the GC. */
    static final int MAX_SPARE = 16;

    private final SelectorEventLoop loop;
    private final Limits limits;
    private final ArrayDeque<HttpRequestParser> spare = new ArrayDeque<>();
    private int lent;

    SelectorHttpParsers(SelectorEventLoop loop, Limits limits) {
        this.loop = loop;
        this.limits = limits;
    }

    /** One pool per loop, made on first use: what the protocols of one server share. */
    static Function<SelectorEventLoop, SelectorHttpParsers> perLoop(Limits limits) {
        Map<SelectorEventLoop, SelectorHttpParsers> byLoop = new ConcurrentHashMap<>();
        return loop -> byLoop.computeIfAbsent(loop, owner -> new SelectorHttpParsers(owner, limits));
    }

    /** A parser between requests (a fresh one's state): the last one given back, else a new one. */
    HttpRequestParser borrow() {
        HttpRequestParser parser = spare.pollLast();
        lent++;
        return parser != null ? parser : new HttpRequestParser(limits);
    }

    /**
     * Takes back a parser that is {@linkplain HttpRequestParser#isIdle() idle}, its head-started
     * flag taken: it is then as good as new. A parser that failed or holds part of a request must
     * not come back; {@link #dropped} counts one that never will (its connection closed).
     */
    void giveBack(HttpRequestParser parser) {
        lent--;
        if (spare.size() < MAX_SPARE) {
            spare.addLast(parser);
        }
    }

    /** A lent parser will not come back: it failed, or its connection closed mid-request. */
    void dropped() {
        lent--;
    }

    SelectorEventLoop loop() {
        return loop;
    }

    /** Parsers held by connections right now: those with part of a request in them. */
    int lent() {
        return lent;
    }

    int spare() {
        return spare.size();
    }
}
