package io.asyncbench.futures;

import java.util.concurrent.CompletableFuture;

/**
 * asyncio.gather for CompletableFuture: {@link CompletableFuture#allOf} completes only once every
 * future has, even after one has failed; gather fails as soon as the first does, so a caller can
 * give up on (cancel) the rest at once instead of waiting for them.
 */
final class FuturesGather {

    /** Completes when all of {@code futures} have, or fails with the first failure. */
    static CompletableFuture<Void> all(CompletableFuture<?>... futures) {
        CompletableFuture<Void> all = CompletableFuture.allOf(futures);
        for (CompletableFuture<?> future : futures) {
            future.whenComplete((value, failure) -> {
                if (failure != null) {
                    all.completeExceptionally(failure);
                }
            });
        }
        return all;
    }

    private FuturesGather() {
    }
}
