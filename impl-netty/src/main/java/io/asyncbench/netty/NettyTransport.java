package io.asyncbench.netty;

import io.asyncbench.api.Availability;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The transports the two Netty strategies run on: what differs between them is the {@code IoHandler}
 * of the event loops, the server and client channel classes and whether the transport exists here. Everything
 * above the transport (bootstrap, pipeline, handlers) is shared.
 *
 * <p>The epoll constant touches the epoll classes only inside its own methods, so NIO never loads
 * the native library.
 */
enum NettyTransport {

    /** The JDK's {@link java.nio.channels.Selector}, portable, one selector per event loop. */
    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(SocketProtocolFamily family) {
            return new NioServerSocketChannel(SelectorProvider.provider(), family);
        }

        @Override
        SocketChannel newSocketChannel(SocketProtocolFamily family) {
            return new NioSocketChannel(SelectorProvider.provider(), family);
        }

        @Override
        Availability availability() {
            return Availability.availableHere();
        }
    },

    /** Netty's own JNI binding to Linux epoll (edge-triggered), bypassing the JDK's selector. */
    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(SocketProtocolFamily family) {
            return new EpollServerSocketChannel(family);
        }

        @Override
        SocketChannel newSocketChannel(SocketProtocolFamily family) {
            return new EpollSocketChannel(family);
        }

        @Override
        Availability availability() {
            try {
                return Epoll.isAvailable()
                        ? Availability.availableHere()
                        : Availability.unavailable("Netty's native epoll transport cannot load here: "
                                + describe(Epoll.unavailabilityCause()));
            } catch (LinkageError classesMissing) {
                // netty-transport-classes-epoll left off the class path: say so, never crash.
                return Availability.unavailable("Netty's epoll classes are not on the class path: "
                        + describe(classesMissing));
            }
        }
    };

    abstract IoHandlerFactory ioHandlerFactory();

    /**
     * A listening channel of the bind address's family: a JDK or Netty socket is IPv6 dual-stack by
     * default, so binding 127.0.0.1 would otherwise make an IPv6 socket on ::ffff:127.0.0.1.
     */
    abstract ServerChannel newServerChannel(SocketProtocolFamily family);

    /** An outgoing connection (gateway backends, proxy backend) of the remote address's family. */
    abstract SocketChannel newSocketChannel(SocketProtocolFamily family);

    abstract Availability availability();

    /** The cause's message and, when it wraps one, the root cause's (the actual linker error). */
    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? messageOf(cause) : messageOf(cause) + " (" + messageOf(root) + ")";
    }

    private static String messageOf(Throwable throwable) {
        String message = throwable.getMessage();
        return message == null || message.isBlank() ? throwable.getClass().getName() : message;
    }
}
