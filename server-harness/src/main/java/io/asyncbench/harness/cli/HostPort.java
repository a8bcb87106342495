package io.asyncbench.harness.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Socket addresses as people type and read them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
public final class HostPort {

    /**
     * Parses {@code host:port} or {@code [ipv6]:port} and resolves the host.
     *
     * @throws IllegalArgumentException with a message fit for the command line
     */
    public static InetSocketAddress parse(String text) {
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': write IPv6 addresses as [ADDR]:PORT");
        }
        int port = port(value.substring(colon + 1), 1);
        return new InetSocketAddress(address(host), port);
    }

    /** A port number in [minimum, 65535]. */
    public static int port(String text, int minimum) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= minimum && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with the range
        }
        throw new IllegalArgumentException("'" + text + "' is not a port (" + minimum + "-65535)");
    }

    /** Resolves a host name or literal address. */
    public static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host '" + host + "'");
        }
    }

    /** {@code 127.0.0.1:40123} or {@code [::1]:40123}: numeric, and parseable by {@link #parse}. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private HostPort() {
    }
}
