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
 * A workload is a {@code Protocol}: see {@link io.asyncbench.selector.SelectorEchoServer}.
 */
package io.asyncbench.selector;
