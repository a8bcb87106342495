package io.asyncbench.external;

import java.net.InetAddress;
import java.net.ServerSocket;

/** A stand-in external server for the tests: listens on 127.0.0.1 at the port given, accepts, closes. */
public final class ListenForever {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
            while (true) {
                server.accept().close();
            }
        }
    }
}
