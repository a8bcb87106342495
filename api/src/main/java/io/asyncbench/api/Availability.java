package io.asyncbench.api;

import java.util.Objects;

/**
 * Whether a strategy can run here, and if not, why. Modelled on Netty's
 * {@code Epoll.isAvailable()} / {@code Epoll.unavailabilityCause()} pair.
 *
 * @param available true if the strategy can start servers on this machine
 * @param reason    empty when available; otherwise a sentence a user can act on
 */
public record Availability(boolean available, String reason) {

    private static final Availability AVAILABLE = new Availability(true, "");

    public Availability {
        Objects.requireNonNull(reason, "reason");
        if (!available && reason.isBlank()) {
            throw new IllegalArgumentException("an unavailable strategy must say why");
        }
    }

    public static Availability availableHere() {
        return AVAILABLE;
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }

    /** The cause's own message, or its class name when it has none. */
    public static Availability unavailable(Throwable cause) {
        String message = cause.getMessage();
        return new Availability(false, message == null || message.isBlank()
                ? cause.getClass().getName() : message);
    }

    @Override
    public String toString() {
        return available ? "available" : "unavailable: " + reason;
    }
}
