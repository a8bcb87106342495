package io.asyncbench.futures;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code while (await step())} for CompletableFuture: runs {@code step} again each time its
 * future yields true, and completes when one yields false or fails.
 *
 * <p>Why not plain recursion, {@code step().thenCompose(again -> again ? loop() : done)}? Each
 * round's future would wait on the next round's, so a long-lived connection would hold a chain of
 * futures as long as its history; and rounds whose IO completes at once (the data was already
 * there) would nest one level deeper on the stack each time. Here a round that is already
 * complete is followed in the same frame, and a pending one resumes the loop from the thread that
 * completes it: constant stack, constant memory, no thread ever waits.
 */
final class FuturesLoop {

    /** What a step returns to leave the loop (asyncio: {@code break}). */
    static final CompletableFuture<Boolean> STOP = CompletableFuture.completedFuture(false);

    /** Starts the loop at once on the calling thread; the future completes when it ends. */
    static CompletableFuture<Void> repeat(Supplier<? extends CompletionStage<Boolean>> step) {
        Loop loop = new Loop(step);
        loop.run();
        return loop.done;
    }

    private static final class Loop implements BiConsumer<Boolean, Throwable> {

        private final Supplier<? extends CompletionStage<Boolean>> step;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        Loop(Supplier<? extends CompletionStage<Boolean>> step) {
            this.step = step;
        }

        void run() {
            try {
                for (;;) {
                    CompletableFuture<Boolean> round = step.get().toCompletableFuture();
                    if (!round.isDone()) {
                        round.whenComplete(this); // resume in accept(), on the completing thread
                        return;
                    }
                    if (!round.getNow(false)) { // done already: never blocks; throws if it failed
                        done.complete(null);
                        return;
                    }
                }
            } catch (Throwable failure) {
                done.completeExceptionally(unwrap(failure));
            }
        }

        /** A pending round completed. */
        @Override
        public void accept(Boolean again, Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(unwrap(failure));
            } else if (again) {
                run();
            } else {
                done.complete(null);
            }
        }
    }

    /** The IOException itself, not the CompletionException that dependent stages wrap it in. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private FuturesLoop() {
    }
}
