package io.asyncbench.conformance;

import java.time.Duration;

/** How long a conformance client waits for a server's next bytes before the test fails. */
final class Timeouts {

    static final Duration REPLY = Duration.ofSeconds(15);

    private Timeouts() {
    }
}
