package io.asyncbench.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.StrategyThreads;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VertxEngineTest {

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).toList();
    }

    @Test
    void theAcceptorGroupIsTheIoGroupSoTheBudgetHolds() {
        try (VertxEngine engine = VertxEngine.start("vertx-engine-test", 2, new VertxTransport(Limits.DEFAULTS))) {
            VertxInternal vertx = (VertxInternal) engine.vertx();
            assertThat(vertx.acceptorEventLoopGroup()).isSameAs(vertx.nettyEventLoopGroup());
            assertThat(engine.eventLoops()).isSameAs(vertx.nettyEventLoopGroup());
        }
    }

    @Test
    void namesItsThreadsAndLeavesNoneBehind() throws Exception {
        String prefix = StrategyThreads.prefix("vertx-engine-names");
        VertxEngine engine = VertxEngine.start("vertx-engine-names", 2, new VertxTransport(Limits.DEFAULTS));
        CompletableFuture<String> onLoop = new CompletableFuture<>();
        engine.vertx().runOnContext(v -> onLoop.complete(Thread.currentThread().getName()));
        assertThat(onLoop.get(10, TimeUnit.SECONDS)).startsWith(prefix + "eventloop-");
        engine.close();
        assertThat(threadsNamed(prefix)).as("threads alive after close()").isEmpty();
        engine.close(); // idempotent
    }
}
