package io.asyncbench.reports;

import java.awt.Color;
import java.util.Arrays;
import java.util.Optional;

/**
 * The strategies this project ships, in the order the report lists them (from hand-written callbacks
 * to the Netty reference), the module that holds each one's code and its colour in every chart and
 * table. Colours are the Okabe-Ito palette, which stays distinguishable with colour-blindness; the two
 * Netty transports share a hue, as do the two thread flavours of one blocking code.
 * Strategies found in results but not listed here still get a colour ({@link StrategyStyles}).
 */
enum KnownStrategy {
    CALLBACKS("callbacks", "impl-callbacks", new Color(0xE69F00)),
    FUTURES("futures", "impl-futures", new Color(0xD55E00)),
    VIRTUAL_THREADS("virtual-threads", "impl-virtualthreads", new Color(0x009E73)),
    PLATFORM_THREADS("platform-threads", "impl-virtualthreads", new Color(0x8C8C8C)),
    SELECTOR("selector", "impl-selector", new Color(0xCC79A7)),
    NETTY_NIO("netty-nio", "impl-netty", new Color(0x0072B2)),
    NETTY_EPOLL("netty-epoll", "impl-netty", new Color(0x56B4E9)),
    // The reference servers (references/ in the project): not JVM styles, so never ranked with
    // them; an earthy colour family of their own, from asyncio's light brown to the C limit's black.
    ASYNCIO("asyncio", "references", new Color(0xA6761D), true),
    UVLOOP("uvloop", "references", new Color(0x8C6D46), true),
    C_EPOLL("c-epoll", "references", new Color(0x1A1A1A), true);

    /** The strategy every other one is also compared with: the widely used reference. */
    static final String REFERENCE = NETTY_NIO.id;
    /** The reference row whose server CPU per operation is the machine's limit. */
    static final String LIMIT = C_EPOLL.id;
    /** The reference row of the model asyncbench is built on. */
    static final String MODEL = ASYNCIO.id;

    final String id;
    final String module;
    final Color color;
    /** A reference server outside the JVM (shown apart, never ranked with the strategies). */
    final boolean reference;

    KnownStrategy(String id, String module, Color color) {
        this(id, module, color, false);
    }

    KnownStrategy(String id, String module, Color color, boolean reference) {
        this.id = id;
        this.module = module;
        this.color = color;
        this.reference = reference;
    }

    /** True for asyncio, uvloop and c-epoll: reference rows, drawn apart and never ranked. */
    static boolean isReference(String id) {
        return byId(id).map(s -> s.reference).orElse(false);
    }

    static Optional<KnownStrategy> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
