package io.asyncbench.vertx;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A server as Vert.x scales one across its event loops: one {@link VertxEngine} (one Vert.x
 * instance, {@code ioThreads} event loops), and the workload's verticle deployed with
 * {@code instances = ioThreads}. Each instance listens on the same address; Vert.x binds the
 * socket once and hands the accepted connections round-robin to the instances, each on its own
 * event loop, where everything a connection does then runs.
 */
final class VertxServer implements RunningServer {

    /** How long start() waits for the instances to be deployed and listening. */
    private static final long START_TIMEOUT_SECONDS = 30;

    /** What each verticle instance of one server shares. */
    record Shared(ServerSpec spec, VertxConnections connections) {

        ServerCounters counters() {
            return connections.counters();
        }

        /**
         * Where each instance listens: the spec's port, or for an ephemeral one Vert.x's
         * "any free port, shared by every server asking for -1" (port 0 would give each instance
         * a port of its own).
         */
        int port() {
            int port = spec.bindAddress().getPort();
            return port == 0 ? -1 : port;
        }

        String host() {
            return spec.bindAddress().getAddress().getHostAddress();
        }

        /** The spec's socket options as Vert.x server options; the limits are the transport's. */
        <O extends NetServerOptions> O apply(O options) {
            var socket = spec.socketOptions();
            options.setTcpNoDelay(socket.tcpNoDelay())
                    .setReuseAddress(socket.reuseAddress())
                    .setAcceptBacklog(socket.backlog());
            if (socket.receiveBufferSize() > 0) {
                options.setReceiveBufferSize(socket.receiveBufferSize());
            }
            if (socket.sendBufferSize() > 0) {
                options.setSendBufferSize(socket.sendBufferSize());
            }
            return options;
        }
    }

    /** One verticle instance of a workload, listening once started; its listening port. */
    interface Listening extends Deployable {
        int actualPort();
    }

    private final VertxEngine engine;
    private final VertxConnections connections;
    private final InetSocketAddress address;

    private VertxServer(VertxEngine engine, VertxConnections connections, InetSocketAddress address) {
        this.engine = engine;
        this.connections = connections;
        this.address = address;
    }

    /**
     * Starts a Vert.x instance for {@code spec} and deploys one instance of the workload's verticle
     * per event loop; returns once they all listen.
     */
    static VertxServer start(String strategyId, ServerSpec spec, java.util.function.Function<Shared, Listening> workload)
            throws IOException {
        VertxConnections connections = new VertxConnections(new ServerCounters());
        Shared shared = new Shared(spec, connections);
        VertxEngine engine = VertxEngine.start(strategyId, spec.ioThreads(), new VertxTransport(spec.limits()));
        Listening[] first = new Listening[1];
        Supplier<Deployable> instances = () -> {
            Listening instance = workload.apply(shared);
            synchronized (first) {
                if (first[0] == null) {
                    first[0] = instance;
                }
            }
            return instance;
        };
        Future<String> deployed = engine.vertx().deployVerticle(instances,
                new DeploymentOptions().setInstances(spec.ioThreads()));
        try {
            deployed.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException failed) {
            engine.close();
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
            throw cause instanceof IOException io ? io : new IOException("could not start on " + spec.bindAddress(), cause);
        }
        int port;
        synchronized (first) {
            port = first[0].actualPort();
        }
        return new VertxServer(engine, connections, new InetSocketAddress(spec.bindAddress().getAddress(), port));
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public ServerCounters counters() {
        return connections.counters();
    }

    /**
     * Cuts every connection off (see {@link VertxConnections}), then closes Vert.x: its servers,
     * clients and timers, then its loops; returns once its threads have ended. Idempotent.
     */
    @Override
    public void close() {
        connections.abortAll();
        engine.close();
    }
}
