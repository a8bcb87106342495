package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.http.HttpResponseParser.Response;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The check that a server overlaps its waits, as asyncio's {@code gather} of sleeps does: {@code n}
 * requests for {@code /delay} of {@code d}, sent at once on {@code n} connections opened
 * beforehand, must all be answered before {@code 2 d}.
 *
 * <p>Why {@code 2 d} is the line: a server that holds all {@code n} waits at once answers each
 * after about {@code d}, so it has a whole {@code d} of slack for a busy machine; a server that
 * holds at most {@code k < n} at once needs {@code ceil(n / k) >= 2} rounds of {@code d}, so it
 * cannot make it, whatever the machine. Connecting and every read are bounded by
 * {@link HttpTestClient}'s timeouts: a silent server fails the check, it does not hang it. One that answers one at a time needs {@code n d}: with
 * {@code n = 100} the check fails it at 2 % of that. Any answer before its delay fails it too.
 */
final class ConcurrentDelays {

    /** One answer and how long after its request it came. */
    private record Answered(Response response, long nanos) {
    }

    /** Asserts that the server at {@code address} answers {@code n} concurrent delays of {@code d} within 2 d. */
    static void assertOverlapped(InetSocketAddress address, int n, Duration delay) throws Exception {
        String request = "GET /delay?ms=" + delay.toMillis() + " HTTP/1.1\r\nHost: t\r\n\r\n";
        String expected = "slept " + delay.toMillis() + " ms";
        List<HttpTestClient> connections = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                for (int i = 0; i < n; i++) {
                    connections.add(new HttpTestClient(address)); // all open before any request
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Answered>> answers = new ArrayList<>();
                for (HttpTestClient connection : connections) {
                    answers.add(clients.submit(() -> {
                        go.await();
                        long sent = System.nanoTime();
                        Response response = connection.send(request).response();
                        return new Answered(response, System.nanoTime() - sent);
                    }));
                }
                long start = System.nanoTime();
                go.countDown();
                long deadline = start + 2 * delay.toNanos();
                for (Future<Answered> answer : answers) {
                    Answered answered = awaitBy(answer, deadline, answers, n, delay);
                    assertThat(answered.response().status()).isEqualTo(200);
                    assertThat(answered.response().bodyText()).isEqualTo(expected);
                    assertThat(Duration.ofNanos(answered.nanos())).as("no answer before its delay")
                            .isGreaterThanOrEqualTo(delay);
                }
            } finally {
                for (HttpTestClient connection : connections) {
                    connection.close(); // ends the reads still waiting, so the executor can close
                }
            }
        }
    }

    private static Answered awaitBy(Future<Answered> answer, long deadline, List<Future<Answered>> all, int n,
                                    Duration delay) throws InterruptedException, ExecutionException {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            long done = all.stream().filter(Future::isDone).count();
            throw new AssertionError(done + " of " + n + " concurrent GET /delay?ms=" + delay.toMillis()
                    + " answered within 2 x " + delay.toMillis() + " ms: a server that waits for all of them at "
                    + "once answers every one after about " + delay.toMillis() + " ms; this one holds fewer "
                    + "than " + n + " waits at a time (one at a time would take " + n + " x " + delay.toMillis()
                    + " ms)");
        }
    }

    private ConcurrentDelays() {
    }
}
