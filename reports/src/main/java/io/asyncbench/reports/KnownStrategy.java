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
    NETTY_EPOLL("netty-epoll", "impl-netty", new Color(0x56B4E9));

    /** The strategy every other one is also compared with: the widely used reference. */
    static final String REFERENCE = NETTY_NIO.id;

    final String id;
    final String module;
    final Color color;

    KnownStrategy(String id, String module, Color color) {
        this.id = id;
        this.module = module;
        this.color = color;
    }

    static Optional<KnownStrategy> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
