/**
 * The load generator: one piece of code that drives every strategy, so that a difference in the
 * numbers is the server's, never the client's.
 *
 * <p>Non-blocking NIO: a {@link io.asyncbench.load.ClientLoop} is one thread with one
 * {@link java.nio.channels.Selector} and its share of the connections, the same design as wrk (one
 * event loop per thread, many connections per loop). Every reply is checked byte for byte as it
 * arrives ({@link io.asyncbench.load.Exchange}): a wrong, short or missing reply, or a connection
 * the server closes, throws {@link io.asyncbench.load.LoadException}, which fails the benchmark;
 * it is never counted as a success.
 *
 * <p>Three ways to drive the loop:
 * <pre>
 *   closed loop   every connection sends its next request as soon as its reply is verified
 *                 (JMH Throughput: {@link io.asyncbench.load.ClientLoop#awaitCompletion()})
 *   probe         one connection sends on demand and is timed while the others keep the server
 *                 busy in a closed loop (JMH SampleTime: {@link io.asyncbench.load.ClientLoop#probe()})
 *   open loop     requests leave at fixed intended times; each latency is measured from its
 *                 intended send time, so a stalled server cannot hide its stall by slowing the
 *                 client down (wrk2's correction for coordinated omission; {@link io.asyncbench.load.OpenLoop})
 * </pre>
 * The loop allocates nothing per request once connected: buffers are reused and replies are
 * compared in place.
 */
package io.asyncbench.load;
