package io.asyncbench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * One thread's share of the load: a {@link Selector} and the connections it drives, like one wrk
 * thread. Not thread-safe: the thread that calls {@link #awaitCompletion()}, {@link #probe()} or
 * {@link #runOpenLoop} is the event loop.
 *
 * <p>Connections are opened (and checked to connect) in the constructor; nothing is sent until the
 * first call picks the mode. A reply is checked as its bytes arrive; the first wrong byte, an early
 * close, or a reply missing for {@code replyTimeout} ends the run with a {@link LoadException}.
 */
public final class ClientLoop implements AutoCloseable {

    /** {@link Selector#select(long)} waits in whole milliseconds; shorter waits park instead. */
    private static final long SELECT_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Closed loop and probes, under a millisecond from a deadline: the loop parks in slices this
     * long, checking the sockets between them, and never spins. (The open loop blocks in select
     * instead, woken by its {@link SelectorAlarm}, so that replies are read as they arrive.)
     */
    static final long PARK_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * The open loop hands a wait to its {@link SelectorAlarm} only from this long: a wake-up through
     * another thread costs some system calls and two thread switches, which at high rates (short
     * waits) would double the client's CPU and lower the rates it can drive. Shorter waits park in
     * slices instead, and a reply then waits at most about as long as the gap to the next send.
     */
    static final long ALARM_MIN_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long STALL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int READ_BUFFER = 64 * 1024;

    private enum Mode { IDLE, CLOSED, PROBE, OPEN }

    private final Selector selector;
    private final ClientConnection[] connections;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private final long replyTimeoutNanos;
    private final java.util.function.Consumer<SelectionKey> onKey = this::onKey;

    private Mode mode = Mode.IDLE;
    /** The loop's clock, read once per pass (and after each select). */
    long now;
    private long lastStallCheck;
    private LoadException failure;

    private long completed;
    private long banked;
    /** Counting completions per connection (fairness), and since when the count is paused. */
    private boolean counting;
    private long pausedAt;
    private long countStartedAt;
    private long countPausedNanos;
    private Histogram latencies;

    private RequestConnection probe;
    private boolean probeDone;

    private DueHeap due;
    /** Open loop: wakes the blocked select when the next send falls due in under a millisecond. */
    private SelectorAlarm alarm;
    /** The alarm thread's CPU time over the last open-loop run. */
    private long alarmCpuNanos;
    private long intervalNanos;
    private long openStop;
    private long recordFrom;
    private long recorded;
    private Histogram sendLags;
    /** Requests intended in the window that left before it ended. */
    private long sentInWindow;
    /** Replies to requests intended in the window that arrived by {@link #completedBy}. */
    private long completedInWindow;
    private long completedBy;
    /** When the last reply to a request intended in the window arrived (0: none yet). */
    private long lastReplyAt;

    /**
     * Opens {@code connections} connections to {@code target}.
     *
     * @param firstIndex number of this loop's first connection, for error messages
     * @throws LoadException if a connection cannot be made
     */
    /**
     * The loops of this JVM not closed yet, and what the closed ones verified: an external server
     * counts nothing for us, so its operations are the replies verified here (see
     * {@link #verifiedInThisJvm()}), whichever load drives it (closed loop, warm-up or open loop).
     */
    private static final Set<ClientLoop> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicLong VERIFIED_BY_CLOSED = new AtomicLong();

    /**
     * Operations verified by every loop of this JVM so far, closed ones included (read without
     * stopping them: a figure a few replies old). Take differences: only one server is driven at a
     * time, so a difference over a window is that server's operations in it.
     */
    public static long verifiedInThisJvm() {
        long sum = VERIFIED_BY_CLOSED.get();
        for (ClientLoop loop : OPEN) {
            sum += loop.completed;
        }
        return sum;
    }

    public ClientLoop(Traffic traffic, InetSocketAddress target, int connections, int firstIndex,
                      Duration replyTimeout) throws IOException, LoadException {
        if (connections < 1) {
            throw new IllegalArgumentException("a loop needs at least one connection");
        }
        this.replyTimeoutNanos = replyTimeout.toNanos();
        this.selector = Selector.open();
        this.connections = new ClientConnection[connections];
        now = System.nanoTime();
        try {
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = connect(target, firstIndex + i, replyTimeout);
                int index = firstIndex + i;
                Exchange exchange = traffic.newExchange(index);
                ClientConnection connection = exchange != null
                        ? new RequestConnection(this, index, channel, exchange)
                        : new StreamConnection(this, index, channel, ((Traffic.Proxy) traffic).windowBytes());
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                this.connections[i] = connection;
            }
        } catch (IOException | LoadException | RuntimeException failed) {
            close();
            throw failed;
        }
        OPEN.add(this);
    }

    private static SocketChannel connect(InetSocketAddress target, int index, Duration timeout)
            throws LoadException {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(target, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new LoadException("connection " + index + ": cannot connect to " + target + ": " + e, e);
        }
    }

    public int connections() {
        return connections.length;
    }

    /** Operations verified since the loop started (replies, or MiB for a stream). */
    public long completed() {
        return completed;
    }

    /**
     * {@link #completed()} read from another thread while the loop runs: a figure a few replies
     * old, as {@link #verifiedInThisJvm()} reads it, without a fence on the loop's hot path.
     */
    long completedSoFar() {
        return completed;
    }

    /**
     * Records each batch's latency into {@code histogram} (nanoseconds): closed loop from its
     * send, open loop from its intended send. Null stops recording.
     */
    public void recordLatencies(Histogram histogram) {
        this.latencies = histogram;
    }

    /**
     * Open loop: records how late each recorded request left the client against its intended time
     * (nanoseconds; 0 = on time) into {@code histogram}. Null stops recording.
     */
    public void recordSendLags(Histogram histogram) {
        this.sendLags = histogram;
    }

    /** Open loop: requests intended at or after {@code recordFrom} that left before {@code stopAt}. */
    public long sentInWindow() {
        return sentInWindow;
    }

    /** Open loop: replies to recorded requests that arrived by the {@code completedBy} of the run. */
    public long completedInWindow() {
        return completedInWindow;
    }

    /** Open loop: System.nanoTime() of the last reply to a recorded request, 0 if none came. */
    public long lastReplyAt() {
        return lastReplyAt;
    }

    // ------------------------------------------------------------------ per connection

    /**
     * Starts counting, from zero and from now, the operations each connection completes and the
     * longest time each goes without completing one: whether the server serves its connections
     * fairly. Costs two fields per completion and allocates nothing.
     */
    public void countConnections() {
        long at = System.nanoTime();
        for (ClientConnection c : connections) {
            c.counted = 0;
            c.longestGap = 0;
            c.lastCompletion = at;
        }
        countStartedAt = at;
        countPausedNanos = 0;
        counting = true;
    }

    /**
     * Stops the counting clock, e.g. between two measured iterations, while nobody drives the
     * loop: that time is no connection's gap. {@link #resumeCounting()} goes on from here.
     */
    public void pauseCounting() {
        if (counting) {
            counting = false;
            pausedAt = System.nanoTime();
        }
    }

    /** Goes on counting after {@link #pauseCounting()}, as if the pause had not happened. */
    public void resumeCounting() {
        if (counting) {
            return;
        }
        long paused = System.nanoTime() - pausedAt;
        countPausedNanos += paused;
        for (ClientConnection c : connections) {
            c.lastCompletion += paused;
        }
        counting = true;
    }

    /**
     * Each connection's count so far; a connection's longest gap includes the wait since its last
     * completion up to now (or to the pause), so one that never completed has the whole time.
     */
    public ConnectionCounts connectionCounts() {
        long end = counting ? System.nanoTime() : pausedAt;
        long[] counts = new long[connections.length];
        long[] gaps = new long[connections.length];
        for (int i = 0; i < connections.length; i++) {
            ClientConnection c = connections[i];
            counts[i] = c.counted;
            gaps[i] = Math.max(c.longestGap, end - c.lastCompletion);
        }
        return new ConnectionCounts(connections[0].index, counts, gaps, end - countStartedAt - countPausedNanos);
    }

    // ------------------------------------------------------------------ closed loop

    /**
     * Closed loop: every connection sends its next request as soon as its reply is verified.
     * Returns once one more operation has completed (and been verified) since the last call.
     */
    public void awaitCompletion() throws LoadException {
        if (banked > 0) {
            banked--;
            return;
        }
        if (mode != Mode.CLOSED) {
            start(Mode.CLOSED);
        }
        while (banked == 0) {
            pass(TimeUnit.MILLISECONDS.toNanos(100));
        }
        banked--;
    }

    /**
     * Starts a new measurement window (between JMH iterations): replies that arrived while nobody
     * was waiting, and replies verified but not yet handed out by {@link #awaitCompletion()}, were
     * completed outside the window and are dropped, so that no iteration counts work done before
     * it began. Returns how many were dropped. Only the closed loop banks replies.
     */
    public long discardCompletedOutsideWindow() throws LoadException {
        if (mode != Mode.CLOSED) {
            return 0;
        }
        pass(0);
        long dropped = banked;
        banked = 0;
        return dropped;
    }

    // ------------------------------------------------------------------ probe

    /**
     * One timed round trip on this loop's first connection while every other connection keeps
     * the server busy in a closed loop: latency under load. Returns the latency in nanoseconds.
     */
    public long probe() throws LoadException {
        if (mode != Mode.PROBE) {
            start(Mode.PROBE);
        }
        now = System.nanoTime();
        long sent = now;
        probeDone = false;
        try {
            probe.send(sent);
        } catch (IOException e) {
            throw new LoadException("connection " + probe.index + ": " + e, e);
        }
        while (!probeDone) {
            pass(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return now - sent;
    }

    // ------------------------------------------------------------------ open loop

    /**
     * Open loop: connection {@code j} intends to send at {@code schedule.firstIntended(j)} and then
     * every {@code schedule.intervalNanos()}; a connection still waiting for a reply at its next
     * intended time sends as soon as the reply arrives, and that request's latency still counts
     * from its intended time (wrk2's correction for coordinated omission). Latencies of batches
     * intended at or after {@code recordFrom} are recorded; nothing is sent at or after
     * {@code stopAt}; returns once every sent batch is answered. Replies to recorded batches that
     * arrive by {@code completedBy} count in {@link #completedInWindow()}.
     *
     * @return batches recorded
     */
    public long runOpenLoop(OpenLoopSchedule schedule, int firstConnection, long recordFrom, long stopAt,
                            long completedBy) throws LoadException {
        if (mode != Mode.IDLE) {
            throw new IllegalStateException("the loop already runs in " + mode + " mode");
        }
        for (ClientConnection c : connections) {
            if (!(c instanceof RequestConnection)) {
                throw new IllegalArgumentException("open loop needs request/reply traffic");
            }
        }
        mode = Mode.OPEN;
        intervalNanos = schedule.intervalNanos();
        this.recordFrom = recordFrom;
        this.openStop = stopAt;
        this.completedBy = completedBy;
        due = new DueHeap(connections.length);
        for (int i = 0; i < connections.length; i++) {
            RequestConnection c = (RequestConnection) connections[i];
            c.nextIntended = schedule.firstIntended(firstConnection + i);
            due.add(c);
        }
        alarm = new SelectorAlarm(selector, Thread.currentThread().getName() + "-alarm");
        long alarmCpuStart = alarm.cpuNanos();
        try {
            while (true) {
                pass(Long.MAX_VALUE);
                if (now >= openStop && !anyInFlight()) {
                    return recorded;
                }
            }
        } finally {
            alarmCpuNanos = Math.max(0, alarm.cpuNanos() - alarmCpuStart);
            alarm.close();
            alarm = null;
        }
    }

    /** CPU time of the open loop's alarm thread over the last {@link #runOpenLoop} (part of the client's). */
    public long alarmCpuNanos() {
        return alarmCpuNanos;
    }

    private boolean anyInFlight() {
        for (ClientConnection c : connections) {
            if (c.awaitingServer()) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ the loop

    private void start(Mode newMode) throws LoadException {
        if (mode != Mode.IDLE) {
            throw new IllegalStateException("the loop already runs in " + mode + " mode");
        }
        mode = newMode;
        now = System.nanoTime();
        lastStallCheck = now;
        try {
            for (int i = 0; i < connections.length; i++) {
                ClientConnection c = connections[i];
                if (c instanceof StreamConnection stream) {
                    if (newMode == Mode.PROBE) {
                        throw new IllegalStateException("stream traffic has no probe mode");
                    }
                    stream.fill();
                } else {
                    RequestConnection request = (RequestConnection) c;
                    if (newMode == Mode.PROBE && i == 0) {
                        request.manual = true;
                        probe = request;
                    } else {
                        request.send(now);
                    }
                }
            }
        } catch (IOException e) {
            throw new LoadException("cannot send: " + e, e);
        }
    }

    /** Waits for readiness (at most {@code maxWaitNanos}, less in open loop) and handles it. */
    private void pass(long maxWaitNanos) throws LoadException {
        now = System.nanoTime();
        long wait = maxWaitNanos;
        if (mode == Mode.OPEN) {
            fireDue();
            wait = due.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(10) : Math.max(0, due.peekKey() - now);
            if (now >= openStop) {
                wait = Math.min(wait, TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        try {
            if (wait >= SELECT_RESOLUTION_NANOS) {
                // whole milliseconds, rounded down: it wakes at or before the next intended send,
                // and at once when a socket is ready
                selector.select(onKey, TimeUnit.NANOSECONDS.toMillis(wait));
            } else if (selector.selectNow(onKey) == 0 && wait > 0 && failure == null) {
                if (alarm != null && wait >= ALARM_MIN_WAIT_NANOS) {
                    // Open loop, under a millisecond to the next send: block (never spin) until a
                    // reply arrives, read at once, or the alarm wakes the selector for the send.
                    alarm.wakeAt(now + wait);
                    selector.select(onKey);
                } else {
                    // Sleep in short slices, reading the sockets between them; the CPU goes to
                    // whatever shares it meanwhile (the gateway's backends run on the load CPUs).
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, PARK_SLICE_NANOS));
                }
            }
        } catch (IOException e) {
            throw new LoadException("selector failed: " + e, e);
        }
        if (failure != null) {
            throw failure;
        }
        if (now - lastStallCheck >= STALL_CHECK_NANOS) {
            lastStallCheck = now;
            checkStalls();
        }
    }

    private void onKey(SelectionKey key) {
        if (failure != null) {
            return;
        }
        ClientConnection connection = (ClientConnection) key.attachment();
        now = System.nanoTime();
        try {
            if (key.isReadable()) {
                connection.onReadable(readBuffer);
            }
            if (key.isValid() && key.isWritable()) {
                connection.onWritable();
            }
        } catch (LoadException wrong) {
            failure = wrong;
        } catch (IOException | CancelledKeyException broken) {
            failure = new LoadException("connection " + connection.index + ": " + broken
                    + (connection.awaitingServer() ? " while waiting for " + connection.progress() : ""),
                    broken);
        }
    }

    private void checkStalls() throws LoadException {
        for (ClientConnection c : connections) {
            if (c.awaitingServer() && now - c.lastActivity > replyTimeoutNanos) {
                throw new LoadException("connection " + c.index + ": no reply for "
                        + TimeUnit.NANOSECONDS.toMillis(now - c.lastActivity) + " ms while waiting for "
                        + c.progress());
            }
        }
    }

    void completed(ClientConnection c, int operations) {
        completed += operations;
        banked += operations;
        if (counting) {
            c.counted += operations;
            long gap = now - c.lastCompletion;
            if (gap > c.longestGap) {
                c.longestGap = gap;
            }
            c.lastCompletion = now;
        }
    }

    /** A request connection's batch is verified: time it, then send again as the mode says. */
    void batchDone(RequestConnection c) throws IOException {
        switch (mode) {
            case CLOSED -> {
                if (latencies != null) {
                    latencies.recordValue(now - c.measureFrom);
                }
                c.send(now);
            }
            case PROBE -> {
                if (c.manual) {
                    probeDone = true;
                } else {
                    c.send(now);
                }
            }
            case OPEN -> {
                if (c.measureFrom >= recordFrom) {
                    recorded++;
                    lastReplyAt = now;
                    if (now <= completedBy) {
                        completedInWindow++;
                    }
                    if (latencies != null) {
                        latencies.recordValue(now - c.measureFrom);
                    }
                }
                if (c.nextIntended < openStop) {
                    if (c.nextIntended <= now) {
                        sendIntended(c); // late: it goes now, its latency counts from when it should have
                    } else {
                        due.add(c);
                    }
                }
            }
            case IDLE -> throw new IllegalStateException("a reply before any request");
        }
    }

    private void sendIntended(RequestConnection c) throws IOException {
        long intended = c.nextIntended;
        c.nextIntended = intended + intervalNanos;
        if (intended >= recordFrom) {
            if (sendLags != null) {
                sendLags.recordValue(Math.max(0, now - intended));
            }
            if (now < openStop) {
                sentInWindow++;
            }
        }
        c.send(intended);
    }

    private void fireDue() throws LoadException {
        try {
            while (!due.isEmpty() && due.peekKey() <= now) {
                RequestConnection c = due.poll();
                if (c.nextIntended < openStop) {
                    sendIntended(c);
                }
            }
        } catch (IOException e) {
            throw new LoadException("cannot send: " + e, e);
        }
    }

    @Override
    public void close() {
        if (OPEN.remove(this)) {
            VERIFIED_BY_CLOSED.addAndGet(completed);
        }
        if (alarm != null) {
            alarm.close();
        }
        IOException failed = null;
        for (ClientConnection c : connections) {
            if (c == null) {
                continue;
            }
            try {
                c.channel.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            failed = e;
        }
        if (failed != null) {
            throw new UncheckedIOException("closing the client connections", failed);
        }
    }

    /** Connections waiting for their next intended send time, earliest first; no allocation. */
    static final class DueHeap {
        private final RequestConnection[] heap;
        private int size;

        DueHeap(int capacity) {
            heap = new RequestConnection[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        long peekKey() {
            return heap[0].nextIntended;
        }

        void add(RequestConnection c) {
            int i = size++;
            heap[i] = c;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent].nextIntended <= heap[i].nextIntended) {
                    break;
                }
                swap(i, parent);
                i = parent;
            }
        }

        RequestConnection poll() {
            RequestConnection top = heap[0];
            heap[0] = heap[--size];
            heap[size] = null;
            int i = 0;
            while (true) {
                int left = 2 * i + 1;
                int smallest = i;
                if (left < size && heap[left].nextIntended < heap[smallest].nextIntended) {
                    smallest = left;
                }
                if (left + 1 < size && heap[left + 1].nextIntended < heap[smallest].nextIntended) {
                    smallest = left + 1;
                }
                if (smallest == i) {
                    return top;
                }
                swap(i, smallest);
                i = smallest;
            }
        }

        private void swap(int a, int b) {
            RequestConnection t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }
    }
}
