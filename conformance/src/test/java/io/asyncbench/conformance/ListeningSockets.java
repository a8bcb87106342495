package io.asyncbench.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the kernel says a port is bound to, read from /proc/net/tcp and /proc/net/tcp6: a server's
 * own word on where it listens is not evidence.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";
    /** The kernel's table of IPv4 sockets; {@link #TABLE6} lists the IPv6 ones. */
    static final Path TABLE = Path.of("/proc/net/tcp");
    static final Path TABLE6 = Path.of("/proc/net/tcp6");

    /** True where the kernel's tables can be read (Linux); elsewhere a check must say it was skipped. */
    static boolean available() {
        return Files.isReadable(TABLE);
    }

    /**
     * The local addresses (kernel hex notation, e.g. {@code 0100007F} for 127.0.0.1) of sockets
     * listening on {@code port}. Only where {@link #available()}.
     */
    static List<String> listeningAddresses(int port) {
        String portHex = String.format(Locale.ROOT, "%04X", port);
        List<String> found = new java.util.ArrayList<>();
        for (Path table : List.of(TABLE, TABLE6)) {
            if (table == TABLE6 && !Files.isReadable(table)) {
                continue; // a kernel without IPv6
            }
            try {
                List<String> lines = Files.readAllLines(table);
                for (String line : lines.subList(1, lines.size())) {
                    String[] fields = line.trim().split("\\s+");
                    String[] local = fields[1].split(":");
                    if (local[1].equals(portHex) && fields[3].equals(LISTEN)) {
                        found.add(local[0]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + table, e);
            }
        }
        return found;
    }

    /**
     * True for a loopback address in /proc/net notation: 8 hex digits for IPv4, 32 for IPv6, each
     * 32-bit word little-endian. An IPv4-mapped {@code ::ffff:127.0.0.1} (a dual-stack socket bound
     * to 127.0.0.1) counts as loopback, as it is.
     */
    static boolean isLoopback(String kernelHex) {
        byte[] address = new byte[kernelHex.length() / 2];
        for (int word = 0; word < address.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                address[word * 4 + i] = (byte) Integer.parseInt(kernelHex.substring(at, at + 2), 16);
            }
        }
        try {
            return java.net.InetAddress.getByAddress(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("not an address: " + kernelHex, e);
        }
    }

    private ListeningSockets() {
    }
}
