package io.asyncbench.cli;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.ServerWorkload;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyFacts;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.UnsupportedWorkloadException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Strategies registered only in bench's test resources, so the CLI tests do not depend on the
 * progress of the impl modules: a correct echo, an echo that corrupts one byte, and one that is
 * unavailable.
 */
public final class FakeStrategies {

    static final String UNAVAILABLE_REASON = "needs a flux capacitor";

    /** A correct blocking echo server on virtual threads. */
    public static final class Echo extends Base {
        public Echo() {
            super("fake-echo", -1);
        }
    }

    /** Echoes, but flips byte 5 of every connection's stream: the demo must catch it. */
    public static final class Corrupting extends Base {
        public Corrupting() {
            super("fake-corrupting", 5);
        }
    }

    /**
     * A strategy that exists only here, on the test class path, and declares its facts as a new
     * module would: listed between selector (50) and netty-nio (60), in its own colour. Nothing else
     * in the project names it (FakeStrategyTest).
     */
    public static final class Declared extends Base {
        static final String ID = "fake-style";
        static final String COLOUR = "#123456";

        public Declared() {
            super(ID, -1);
        }

        @Override
        public StrategyFacts facts() {
            return StrategyFacts.of(55, COLOUR, "impl-fake");
        }
    }

    /** Never runs here. */
    public static final class Unavailable extends Base {
        public Unavailable() {
            super("fake-unavailable", -1);
        }

        @Override
        public Availability availability() {
            return Availability.unavailable(UNAVAILABLE_REASON);
        }
    }

    abstract static class Base implements Strategy {
        private final String id;
        private final long flipAt;

        Base(String id, long flipAt) {
            this.id = id;
            this.flipAt = flipAt;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return "test double: " + id;
        }

        @Override
        public Availability availability() {
            return Availability.availableHere();
        }

        @Override
        public Set<ServerWorkload> serverWorkloads() {
            return Set.of(ServerWorkload.ECHO);
        }

        @Override
        public RunningServer start(ServerSpec spec) throws IOException {
            if (!serverWorkloads().contains(spec.serverWorkload())) {
                throw new UnsupportedWorkloadException(this, spec.workload());
            }
            return new FakeEchoServer(id, spec, flipAt);
        }
    }

    private static final class FakeEchoServer implements RunningServer {
        private final ServerSocket listener = new ServerSocket();
        private final ServerCounters counters = new ServerCounters();
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final ExecutorService threads;
        private final long flipAt;

        FakeEchoServer(String id, ServerSpec spec, long flipAt) throws IOException {
            this.flipAt = flipAt;
            try {
                listener.setReuseAddress(spec.socketOptions().reuseAddress());
                listener.bind(spec.bindAddress(), spec.socketOptions().backlog());
            } catch (IOException bindFailed) {
                listener.close();
                throw bindFailed;
            }
            threads = Executors.newThreadPerTaskExecutor(StrategyThreads.virtual(id, "conn"));
            threads.submit(this::accept);
        }

        private void accept() {
            try {
                while (true) {
                    Socket socket = listener.accept();
                    counters.connectionOpened();
                    open.add(socket);
                    threads.submit(() -> echo(socket));
                }
            } catch (IOException listenerClosed) {
                // close() was called
            }
        }

        private void echo(Socket socket) {
            byte[] buffer = new byte[8192];
            long offset = 0;
            try (socket) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int n; (n = in.read(buffer)) > 0; offset += n) {
                    counters.bytesRead(n);
                    if (flipAt >= offset && flipAt < offset + n) {
                        buffer[(int) (flipAt - offset)] ^= (byte) 0xff;
                    }
                    out.write(buffer, 0, n);
                    counters.bytesWritten(n);
                }
            } catch (IOException e) {
                if (!closed.get()) {
                    counters.error();
                }
            } finally {
                open.remove(socket);
                counters.connectionClosed();
            }
        }

        @Override
        public InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        @Override
        public ServerCounters counters() {
            return counters;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                listener.close();
                for (Socket socket : open) {
                    socket.close();
                }
                threads.shutdown();
                if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("fake server threads did not stop");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private FakeStrategies() {
    }
}
