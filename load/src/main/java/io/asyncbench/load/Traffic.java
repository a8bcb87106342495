package io.asyncbench.load;

import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpResponses;

/**
 * What the load generator sends on each connection, and so what it expects back: one value per
 * workload, with the workload's parameters. The same traffic drives every strategy.
 */
public sealed interface Traffic {

    /** The server workload this traffic is for. */
    Workload workload();

    /** Bytes of payload one operation stands for, for MB/s; 0 when not meaningful. */
    long bytesPerOperation();

    /** One line: "echo 1024 B messages", for logs and the {@code load} command. */
    String describe();

    /** Echo: messages of {@code size} bytes, one in flight per connection. */
    record Echo(int size) implements Traffic {
        public Echo {
            if (size < 1) {
                throw new IllegalArgumentException("echo message size must be at least 1 byte");
            }
        }

        @Override
        public Workload workload() {
            return Workload.ECHO;
        }

        @Override
        public long bytesPerOperation() {
            return size;
        }

        @Override
        public String describe() {
            return "echo " + size + " B messages";
        }
    }

    /** HTTP: GET {@code endpoint}, {@code pipeline} requests per batch. */
    record Http(HttpEndpoint endpoint, int pipeline) implements Traffic {
        public Http {
            if (pipeline < 1) {
                throw new IllegalArgumentException("pipeline depth must be at least 1");
            }
        }

        @Override
        public Workload workload() {
            return Workload.HTTP;
        }

        @Override
        public long bytesPerOperation() {
            return 0;
        }

        @Override
        public String describe() {
            return "http GET " + endpoint.path() + ", pipeline " + pipeline;
        }
    }

    /** Gateway: GET /fanout?k=K&amp;ms=M, answered once K backends answered their /delay?ms=M. */
    record Gateway(int backends, int delayMs) implements Traffic {
        public Gateway {
            if (backends < 1 || backends > 256 || delayMs < 0) {
                throw new IllegalArgumentException("gateway needs 1-256 backends and a delay >= 0");
            }
        }

        @Override
        public Workload workload() {
            return Workload.GATEWAY;
        }

        @Override
        public long bytesPerOperation() {
            return 0;
        }

        @Override
        public String describe() {
            return "gateway GET /fanout?k=" + backends + "&ms=" + delayMs;
        }
    }

    /**
     * Proxy: a continuous byte stream per connection, relayed to an echo backend and back, with at
     * most {@code windowBytes} sent and not yet verified. One operation is one MiB back and checked.
     */
    record Proxy(int windowBytes) implements Traffic {
        public static final int OPERATION_BYTES = 1 << 20;
        public static final int DEFAULT_WINDOW = 1 << 20;

        public Proxy {
            if (windowBytes < 1) {
                throw new IllegalArgumentException("window must be at least 1 byte");
            }
        }

        @Override
        public Workload workload() {
            return Workload.PROXY;
        }

        @Override
        public long bytesPerOperation() {
            return OPERATION_BYTES;
        }

        @Override
        public String describe() {
            return "proxy stream, " + windowBytes + " B window, 1 op = 1 MiB there and back";
        }
    }

    /** A request/reply exchange for connection {@code index}, or null for streaming traffic. */
    default Exchange newExchange(int index) {
        return switch (this) {
            case Echo echo -> new EchoExchange(echo.size(), 0x5eed_0000L + index);
            case Http http -> new HttpExchange(
                    HttpExchange.ascii("GET " + http.endpoint().path()
                            + " HTTP/1.1\r\nHost: asyncbench\r\n\r\n"),
                    http.pipeline(), http.endpoint().contentType(), http.endpoint().body());
            case Gateway gateway -> new HttpExchange(
                    HttpExchange.ascii("GET /fanout?k=" + gateway.backends() + "&ms="
                            + gateway.delayMs() + " HTTP/1.1\r\nHost: asyncbench\r\n\r\n"),
                    1, "application/json", HttpResponses.fanoutBody(gateway.backends(), gateway.delayMs()));
            case Proxy proxy -> null;
        };
    }
}
