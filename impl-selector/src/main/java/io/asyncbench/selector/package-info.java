/**
 * The {@code selector} strategy: Python asyncio's SelectorEventLoop, rebuilt on
 * {@link java.nio.channels.Selector}.
 *
 * <pre>
 *   asyncio                              here
 *   -----------------------------------  ----------------------------------------------
 *   SelectorEventLoop, run_forever()     {@link io.asyncbench.selector.SelectorEventLoop}
 *   call_soon / call_soon_threadsafe     callSoon / callSoonThreadsafe
 *   call_later / call_at -> TimerHandle  callLater / callAt -> {@link io.asyncbench.selector.TimerHandle}
 *   add_reader / add_writer              addReader / addWriter
 *   asyncio.Protocol / Transport         {@link io.asyncbench.selector.Protocol} / {@link io.asyncbench.selector.Transport}
 *   _SelectorSocketTransport             SelectorSocketTransport
 *   loop.create_server -> Server         SelectorServer (N loops, loop 0 accepts)
 *   loop.create_connection               SelectorEventLoop#createConnection
 * </pre>
 *
 * A workload is a {@code Protocol} (or a pair of them) on this plumbing, one file each:
 * <pre>
 *   echo     SelectorEchoServer     write back what arrives; pause reading above high water
 *   http     SelectorHttpServer     the loop's parsers (SelectorHttpParsers), lent only while a
 *                                   read ends mid-request; one write per read, /delay via callLater,
 *                                   idle timeout and head deadline via one callLater per
 *                                   connection, re-armed lazily from the last activity
 *   timers   SelectorTimers         N callLater handles on the loops' timer heaps, then gather
 *   gateway  SelectorGatewayServer  createConnection + a per-loop keep-alive pool; a callLater
 *                                   deadline cancels outstanding calls and aborts their transports;
 *                                   past the loop's connection cap, calls queue for a connection
 *   proxy    SelectorProxyServer    two transports, pause_reading / resume_reading across, writeEof
 * </pre>
 */
package io.asyncbench.selector;
