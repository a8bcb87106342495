package io.asyncbench.selector;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.SocketOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * asyncio's {@code SelectorEventLoop} on {@link Selector}: one thread runs callbacks from a FIFO
 * ready queue, a heap of timers, and readiness callbacks registered with {@link #addReader} /
 * {@link #addWriter}. Nothing here blocks except {@link Selector#select}; nothing here is
 * thread-safe except {@link #callSoonThreadsafe}, {@link #submit} and {@link #stop}.
 *
 * <h2>One iteration ({@code _run_once})</h2>
 * <ol>
 *   <li>drop cancelled timers from the top of the heap (or rebuild it when most are cancelled);</li>
 *   <li>select, with a timeout of zero if callbacks are ready, else until the next timer is due,
 *       running each ready channel's reader / writer callback as the selector reports it;</li>
 *   <li>move due timers to the ready queue;</li>
 *   <li>run the callbacks that are ready now; those they schedule wait for the next iteration,
 *       so a callback that reschedules itself cannot starve IO.</li>
 * </ol>
 * An iteration allocates nothing: the selector hands keys to a preallocated consumer, the queues
 * are array-backed, and the read buffer is one direct buffer per loop ({@link #readBuffer()}).
 * An exception thrown by a callback goes to the {@linkplain #setExceptionHandler exception
 * handler} (by default: logged) and the loop carries on.
 */
public final class SelectorEventLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SelectorEventLoop.class.getName());

    /** asyncio's _MIN_SCHEDULED_TIMER_HANDLES: below this many timers, never rebuild the heap. */
    private static final int MIN_SCHEDULED_TIMER_HANDLES = 100;
    /** asyncio's MAXIMUM_SELECT_TIMEOUT, a day, keeps the millisecond timeout far from overflow. */
    private static final long MAX_SELECT_MILLIS = TimeUnit.DAYS.toMillis(1);
    /**
     * The output scratch buffer: room for the answers to one read's worth of pipelined HTTP
     * requests; a protocol with more to say flushes it and goes on.
     */
    private static final int OUTPUT_BUFFER_SIZE = 16 * 1024;
    /** Outgoing connections of a client that states no options: no Nagle, kernel buffer sizes. */
    private static final SocketOptions CLIENT_OPTIONS = new SocketOptions(true, false, 1, 0, 0);

    private static final int AWAKE = 0;
    private static final int SELECTING = 1;

    private final Selector selector;
    private final Limits limits;
    private final ByteBuffer readBuffer;
    /** Allocated on first use: only protocols that encode output (http) need it. */
    private ByteBuffer outputBuffer;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>(256);
    /** Callbacks from other threads; drained into {@link #ready} by the loop. */
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /**
     * SELECTING while the loop is in (or about to enter) a blocking select. A producer wakes the
     * selector only when it flips this back to AWAKE, so a busy loop is never woken in vain.
     */
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);
    private final PriorityQueue<TimerHandle> scheduled = new PriorityQueue<>();
    private final Set<SelectorSocketTransport> transports = new HashSet<>();
    private final Consumer<SelectionKey> onSelected = this::processEvent;
    private int cancelledTimers;
    private long timerSequence;
    private boolean stopping;
    private volatile Thread thread;
    private volatile boolean closed;
    private BiConsumer<String, Throwable> exceptionHandler =
            (message, exc) -> LOG.log(System.Logger.Level.WARNING, message, exc);

    /**
     * @param limits {@code readBufferSize} sizes this loop's one read buffer; the water marks are
     *               the defaults of every transport created on this loop
     * @throws IOException if no selector can be opened
     */
    public SelectorEventLoop(Limits limits) throws IOException {
        this.limits = limits;
        this.readBuffer = ByteBuffer.allocateDirect(limits.readBufferSize());
        this.selector = Selector.open();
    }

    // ---------------------------------------------------------------- running and stopping

    /**
     * Runs iterations on the calling thread until {@link #stop()}. Returns after the iteration in
     * which stop was called, leaving later callbacks queued (as asyncio's run_forever does).
     */
    public void runForever() {
        if (closed) {
            throw new IllegalStateException("the loop is closed");
        }
        if (thread != null) {
            throw new IllegalStateException("the loop is already running on " + thread.getName());
        }
        thread = Thread.currentThread();
        try {
            do {
                try {
                    runOnce();
                } catch (Throwable t) {
                    // Whatever escaped (an Error from a callback or the exception handler, say a
                    // class that could not load while no descriptor was free): the loop carries
                    // on, since ending it would close every channel on it, the listener included.
                    callExceptionHandler("event loop iteration failed", t);
                }
            } while (!stopping);
        } finally {
            stopping = false;
            thread = null;
        }
    }

    /** Makes {@link #runForever()} return after the current iteration. Callable from any thread. */
    public void stop() {
        if (inEventLoop()) {
            stopping = true;
        } else if (!closed) {
            callSoonThreadsafe(() -> stopping = true);
        }
    }

    public boolean isRunning() {
        return thread != null;
    }

    /** True on the thread that runs this loop. */
    public boolean inEventLoop() {
        return thread == Thread.currentThread();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop once it is not running: aborts every transport still open on it (each
     * protocol gets its {@code connectionLost}), runs the callbacks that causes, closes any other
     * registered channel, then the selector. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (isRunning()) {
            throw new IllegalStateException("cannot close a running loop; stop() it first");
        }
        thread = Thread.currentThread(); // callbacks below run as if on the loop
        try {
            // A few rounds: connectionLost of one transport may close another (a proxy's pair).
            for (int round = 0; round < 8 && !(transports.isEmpty() && ready.isEmpty()
                    && inbox.isEmpty()); round++) {
                drainInbox();
                for (SelectorSocketTransport transport : new ArrayList<>(transports)) {
                    transport.abort();
                }
                runReady();
            }
            closed = true;
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
        } finally {
            closed = true;
            thread = null;
            ready.clear();
            inbox.clear();
            scheduled.clear();
        }
    }

    // ---------------------------------------------------------------- callbacks and timers

    /** Runs {@code callback} in a later iteration, after the callbacks already queued (FIFO). */
    public void callSoon(Runnable callback) {
        checkThread();
        ready.add(callback);
    }

    /**
     * {@link #callSoon} from any thread: queues {@code callback} and wakes the selector if the
     * loop is blocked in it.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public void callSoonThreadsafe(Runnable callback) {
        if (closed) {
            throw new IllegalStateException("the loop is closed");
        }
        if (inEventLoop()) {
            ready.add(callback);
            return;
        }
        inbox.add(callback);
        // The loop publishes SELECTING before its last look at the inbox, and we published the
        // callback before looking at the state: one of us sees the other.
        if (wakeState.get() == SELECTING && wakeState.getAndSet(AWAKE) == SELECTING) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} on the loop from any thread; the future completes on the loop. */
    public CompletableFuture<Void> submit(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        callSoonThreadsafe(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** Runs {@code callback} once {@code delay} has passed; cancel it with the returned handle. */
    public TimerHandle callLater(long delay, TimeUnit unit, Runnable callback) {
        return callAt(time() + unit.toNanos(delay), callback);
    }

    public TimerHandle callLater(Duration delay, Runnable callback) {
        return callAt(time() + delay.toNanos(), callback);
    }

    /** Runs {@code callback} at {@code when} on the {@link #time()} clock (nanoseconds). */
    public TimerHandle callAt(long when, Runnable callback) {
        checkThread();
        TimerHandle handle = new TimerHandle(this, when, timerSequence++, callback);
        handle.scheduled = true;
        scheduled.add(handle);
        return handle;
    }

    /** The loop's clock: {@link System#nanoTime()}. */
    public long time() {
        return System.nanoTime();
    }

    /** Timers not yet due or dropped, cancelled ones included (asyncio keeps those lazily too). */
    public int scheduledTimers() {
        return scheduled.size();
    }

    void timerHandleCancelled() {
        cancelledTimers++;
    }

    // ---------------------------------------------------------------- readiness callbacks

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable (acceptable, for a
     * server channel), replacing any previous reader. Registers the channel on first use.
     */
    public void addReader(SelectableChannel channel, Runnable callback) {
        checkThread();
        interest(channel, readOps(channel), callback, null);
    }

    /** Stops watching {@code channel} for reading; returns false if nobody was. */
    public boolean removeReader(SelectableChannel channel) {
        checkThread();
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            return false;
        }
        IoHandles handles = (IoHandles) key.attachment();
        boolean had = handles.reader != null;
        handles.reader = null;
        setInterest(key, key.interestOps() & ~(SelectionKey.OP_READ | SelectionKey.OP_ACCEPT));
        return had;
    }

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is writable (or, while a
     * {@link SocketChannel} is connecting, when the connection completes or fails).
     */
    public void addWriter(SelectableChannel channel, Runnable callback) {
        checkThread();
        interest(channel, writeOps(channel), null, callback);
    }

    /** Stops watching {@code channel} for writing; returns false if nobody was. */
    public boolean removeWriter(SelectableChannel channel) {
        checkThread();
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            return false;
        }
        IoHandles handles = (IoHandles) key.attachment();
        boolean had = handles.writer != null;
        handles.writer = null;
        setInterest(key, key.interestOps() & ~(SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT));
        return had;
    }

    // ---------------------------------------------------------------- connections

    /**
     * asyncio's {@code create_connection}: connects to {@code address} and runs a protocol from
     * {@code protocolFactory} on the new transport. The future completes, on the loop, after
     * {@link Protocol#connectionMade}; it fails if the connection cannot be made, and cancelling it
     * before then abandons the attempt. Callable from any thread.
     *
     * @param counters where the connection counts its IO (a client side's own counters)
     */
    public CompletableFuture<Transport> createConnection(SocketAddress address,
            Supplier<? extends Protocol> protocolFactory, ServerCounters counters) {
        return createConnection(address, protocolFactory, CLIENT_OPTIONS, counters);
    }

    /**
     * {@link #createConnection(SocketAddress, Supplier, ServerCounters)} with {@code options}
     * applied to the new socket before it connects (TCP_NODELAY, and SO_RCVBUF / SO_SNDBUF when
     * positive, set early so the TCP window scale is negotiated with them).
     */
    public CompletableFuture<Transport> createConnection(SocketAddress address,
            Supplier<? extends Protocol> protocolFactory, SocketOptions options,
            ServerCounters counters) {
        CompletableFuture<Transport> result = new CompletableFuture<>();
        if (onLoopOrIdle()) {
            connect(address, protocolFactory, options, counters, result);
        } else {
            callSoonThreadsafe(() -> connect(address, protocolFactory, options, counters, result));
        }
        return result;
    }

    /** {@link #createConnection(SocketAddress, Supplier, ServerCounters)} counting nowhere. */
    public CompletableFuture<Transport> createConnection(SocketAddress address,
            Supplier<? extends Protocol> protocolFactory) {
        return createConnection(address, protocolFactory, new ServerCounters());
    }

    private void connect(SocketAddress address, Supplier<? extends Protocol> protocolFactory,
                         SocketOptions options, ServerCounters counters,
                         CompletableFuture<Transport> result) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            options.applyTo(channel);
            if (channel.connect(address)) {
                connected(channel, protocolFactory, counters, result);
            } else {
                SocketChannel connecting = channel;
                addWriter(channel, () -> finishConnect(connecting, protocolFactory, counters, result));
                // Abandon the attempt (and its socket) as soon as the caller stops waiting.
                result.whenComplete((transport, failure) -> {
                    if (result.isCancelled()) {
                        callSoonThreadsafe(() -> closeQuietly(connecting));
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            result.completeExceptionally(e);
        }
    }

    private void finishConnect(SocketChannel channel, Supplier<? extends Protocol> protocolFactory,
                               ServerCounters counters, CompletableFuture<Transport> result) {
        try {
            if (!channel.finishConnect()) {
                return;
            }
            removeWriter(channel);
            connected(channel, protocolFactory, counters, result);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            result.completeExceptionally(e);
        }
    }

    private void connected(SocketChannel channel, Supplier<? extends Protocol> protocolFactory,
                           ServerCounters counters, CompletableFuture<Transport> result) {
        if (result.isDone()) { // cancelled while connecting
            closeQuietly(channel);
            return;
        }
        Protocol protocol = protocolFactory.get();
        counters.connectionOpened();
        SelectorSocketTransport transport = new SelectorSocketTransport(this, channel, protocol,
                counters);
        callSoon(() -> result.complete(transport)); // after connectionMade, queued before us
    }

    // ---------------------------------------------------------------- for transports

    /** This loop's read buffer: valid only during one {@link Protocol#dataReceived} call. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /**
     * This loop's output scratch buffer, cleared, for a protocol to encode into and hand to
     * {@link Transport#write} (which sends it, copying only what the kernel refuses) before its
     * callback returns. Direct, so the kernel reads it without the JDK's extra copy; one per loop,
     * so answering allocates no buffer per connection.
     */
    ByteBuffer outputBuffer() {
        checkThread();
        if (outputBuffer == null) {
            outputBuffer = ByteBuffer.allocateDirect(OUTPUT_BUFFER_SIZE);
        }
        return outputBuffer.clear();
    }

    Limits limits() {
        return limits;
    }

    void transportOpened(SelectorSocketTransport transport) {
        transports.add(transport);
    }

    void transportClosed(SelectorSocketTransport transport) {
        transports.remove(transport);
    }

    /**
     * asyncio's {@code call_exception_handler}: reports an exception that a callback let escape.
     * The default handler logs it.
     */
    public void callExceptionHandler(String message, Throwable exc) {
        try {
            exceptionHandler.accept(message, exc);
        } catch (Throwable t) {
            try {
                LOG.log(System.Logger.Level.ERROR, "exception handler failed", t);
            } catch (Throwable loggingBroken) {
                // Nobody left to tell; the loop must go on regardless.
            }
        }
    }

    /** Replaces the handler that receives exceptions escaping callbacks (default: log). */
    public void setExceptionHandler(BiConsumer<String, Throwable> handler) {
        this.exceptionHandler = handler;
    }

    // ---------------------------------------------------------------- the iteration

    private void runOnce() {
        dropCancelledTimers();
        drainInbox();
        select(selectTimeoutMillis());
        drainInbox();
        // The clock only when there are timers: a read costs 30-50 ns on a VM's kvm-clock.
        long now = scheduled.isEmpty() ? 0 : time();
        TimerHandle head;
        while ((head = scheduled.peek()) != null && head.when() - now <= 0) {
            scheduled.poll();
            head.scheduled = false;
            if (head.cancelled()) {
                cancelledTimers--;
            } else {
                ready.add(head);
            }
        }
        runReady();
    }

    private void dropCancelledTimers() {
        int count = scheduled.size();
        if (count > MIN_SCHEDULED_TIMER_HANDLES && cancelledTimers * 2 > count) {
            // Most are cancelled: one O(n) rebuild beats popping them one by one.
            scheduled.removeIf(SelectorEventLoop::unscheduleIfCancelled);
            cancelledTimers = 0;
        } else {
            TimerHandle head;
            while ((head = scheduled.peek()) != null && head.cancelled()) {
                scheduled.poll();
                head.scheduled = false;
                cancelledTimers--;
            }
        }
    }

    private static boolean unscheduleIfCancelled(TimerHandle handle) {
        if (handle.cancelled()) {
            handle.scheduled = false;
            return true;
        }
        return false;
    }

    /** 0: poll; -1: no timer, block until IO or a wake-up; else milliseconds to the next timer. */
    private long selectTimeoutMillis() {
        if (!ready.isEmpty() || stopping) {
            return 0;
        }
        TimerHandle head = scheduled.peek();
        if (head == null) {
            return -1;
        }
        long nanos = head.when() - time();
        if (nanos <= 0) {
            return 0;
        }
        // Round up: waking a little late is fine for a timer, waking early costs a spin.
        return Math.min(MAX_SELECT_MILLIS, (nanos + 999_999) / 1_000_000);
    }

    private void select(long timeoutMillis) {
        try {
            if (timeoutMillis == 0) {
                selector.selectNow(onSelected);
                return;
            }
            wakeState.set(SELECTING);
            if (!inbox.isEmpty()) {
                selector.selectNow(onSelected);
            } else if (timeoutMillis < 0) {
                selector.select(onSelected);
            } else {
                selector.select(onSelected, timeoutMillis);
            }
            wakeState.set(AWAKE);
        } catch (IOException | ClosedSelectorException e) {
            wakeState.set(AWAKE);
            callExceptionHandler("select failed", e);
        }
    }

    /** Runs the ready channel's callbacks right away, as the selector reports it. */
    private void processEvent(SelectionKey key) {
        if (!key.isValid()) {
            return; // closed by an earlier callback of this same select
        }
        IoHandles handles = (IoHandles) key.attachment();
        int readyOps = key.readyOps();
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0
                && handles.reader != null) {
            runCallback(handles.reader);
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0
                && handles.writer != null && key.isValid()) {
            runCallback(handles.writer);
        }
    }

    private void runReady() {
        // Only what is ready now: callbacks scheduled by these run next iteration, after IO.
        for (int todo = ready.size(); todo > 0; todo--) {
            runCallback(ready.poll());
        }
    }

    private void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            callExceptionHandler("Exception in callback " + callback, t);
        }
    }

    private void drainInbox() {
        Runnable callback;
        while ((callback = inbox.poll()) != null) {
            ready.add(callback);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * True on the loop thread, or when no thread runs the loop (then the caller owns it, as in a
     * test that schedules callbacks before calling {@link #runForever()}).
     */
    boolean onLoopOrIdle() {
        Thread owner = thread;
        return owner == null || owner == Thread.currentThread();
    }

    private void checkThread() {
        Thread owner = thread;
        if (owner != null && owner != Thread.currentThread()) {
            throw new IllegalStateException("not on the loop thread " + owner.getName()
                    + "; use callSoonThreadsafe");
        }
    }

    private void interest(SelectableChannel channel, int ops, Runnable reader, Runnable writer) {
        SelectionKey key = channel.keyFor(selector);
        try {
            if (key == null) {
                IoHandles handles = new IoHandles();
                handles.reader = reader;
                handles.writer = writer;
                channel.register(selector, ops, handles);
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IoHandles handles = (IoHandles) key.attachment();
        if (reader != null) {
            handles.reader = reader;
        }
        if (writer != null) {
            handles.writer = writer;
        }
        setInterest(key, key.interestOps() | ops);
    }

    private static void setInterest(SelectionKey key, int ops) {
        if (key.interestOps() != ops) { // an unchanged set costs no epoll_ctl
            key.interestOps(ops);
        }
    }

    private static int readOps(SelectableChannel channel) {
        return channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
    }

    private static int writeOps(SelectableChannel channel) {
        return channel instanceof SocketChannel socket && socket.isConnectionPending()
                ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing on a path that is already failing or shutting down
            }
        }
    }

    /** The attachment of every key: asyncio keeps (reader, writer) handles on the key the same way. */
    private static final class IoHandles {
        Runnable reader;
        Runnable writer;
    }

    @Override
    public String toString() {
        Thread owner = thread;
        return "SelectorEventLoop[" + (closed ? "closed" : owner != null ? "running on "
                + owner.getName() : "idle") + ", " + transports.size() + " transports, "
                + scheduled.size() + " timers]";
    }
}
