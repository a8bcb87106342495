package io.asyncbench.harness;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * This process's CPU time, every thread's (ended ones, JIT and GC included), to the nanosecond.
 *
 * <p>The management bean's {@code getProcessCpuTime()} reads times(2) on Linux, in 10 ms clock
 * ticks. A light open-loop window (a second at a quarter of a core) holds about 200 ms of server
 * CPU, so one tick is 5 % of the equal-load figure and more of each sub-window's: too coarse to
 * rank strategies that differ by that much. The kernel keeps the exact sum, and gives it through
 * {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}, which this calls through the JDK's foreign
 * function API. That API is final from JDK 22 and the build may pick a JDK 21, so it is reached
 * by reflection; where it or the clock is missing, the bean's ticks are the fallback and
 * {@link #isPrecise()} says so.
 */
public final class ProcessCpuClock {

    /** Linux's clock id, {@code <time.h>}. */
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    /** clock_gettime as (int, MemorySegment) int, or null where unavailable. */
    private static final MethodHandle CLOCK_GETTIME;
    /** MemorySegment.get(JAVA_LONG, offset) as (MemorySegment, long) long. */
    private static final MethodHandle GET_LONG;
    /** Each thread's struct timespec, 16 bytes from the global arena (a handful of threads read it). */
    private static final ThreadLocal<Object> TIMESPEC;

    static {
        MethodHandle clock = null;
        MethodHandle getLong = null;
        ThreadLocal<Object> timespec = null;
        if (Runtime.version().feature() >= 22 && System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
                Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> ofLongClass = Class.forName("java.lang.foreign.ValueLayout$OfLong");
                Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");

                Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
                Optional<?> symbol = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                        .getMethod("find", String.class).invoke(lookup, "clock_gettime");
                if (symbol.isPresent()) {
                    Object javaInt = valueLayoutClass.getField("JAVA_INT").get(null);
                    Object address = valueLayoutClass.getField("ADDRESS").get(null);
                    Object javaLong = valueLayoutClass.getField("JAVA_LONG").get(null);
                    Object arguments = Array.newInstance(layoutClass, 2);
                    Array.set(arguments, 0, javaInt);
                    Array.set(arguments, 1, address);
                    Object descriptor = descriptorClass.getMethod("of", layoutClass, arguments.getClass())
                            .invoke(null, javaInt, arguments);
                    clock = (MethodHandle) linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass,
                                    Array.newInstance(optionClass, 0).getClass())
                            .invoke(linker, symbol.get(), descriptor, Array.newInstance(optionClass, 0));
                    getLong = MethodHandles.insertArguments(MethodHandles.publicLookup().findVirtual(segmentClass,
                            "get", MethodType.methodType(long.class, ofLongClass, long.class)), 1, javaLong);
                    Object arena = arenaClass.getMethod("global").invoke(null);
                    MethodHandle allocate = MethodHandles.publicLookup().findVirtual(arenaClass, "allocate",
                            MethodType.methodType(segmentClass, long.class, long.class));
                    timespec = ThreadLocal.withInitial(() -> {
                        try {
                            return allocate.invoke(arena, 16L, 8L);
                        } catch (Throwable t) {
                            throw new IllegalStateException("cannot allocate a timespec", t);
                        }
                    });
                    if (read(clock, getLong, timespec) < 0) {
                        clock = null; // the kernel refused the clock: fall back
                    }
                }
            } catch (Throwable unavailable) {
                clock = null; // no foreign function API (or no native access): the bean's ticks
            }
        }
        CLOCK_GETTIME = clock;
        GET_LONG = getLong;
        TIMESPEC = timespec;
    }

    private ProcessCpuClock() {
    }

    /** True when {@link #nanos()} is the kernel's exact sum, false when it is the bean's 10 ms ticks. */
    public static boolean isPrecise() {
        return CLOCK_GETTIME != null;
    }

    /** CPU time of this process so far, ns; -1 where the JVM cannot tell. */
    public static long nanos() {
        if (CLOCK_GETTIME != null) {
            long nanos = read(CLOCK_GETTIME, GET_LONG, TIMESPEC);
            if (nanos >= 0) {
                return nanos;
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long read(MethodHandle clock, MethodHandle getLong, ThreadLocal<Object> timespec) {
        try {
            Object ts = timespec.get();
            int status = (int) clock.invoke(CLOCK_PROCESS_CPUTIME_ID, ts);
            if (status != 0) {
                return -1;
            }
            return (long) getLong.invoke(ts, 0L) * 1_000_000_000L + (long) getLong.invoke(ts, 8L);
        } catch (Throwable t) {
            return -1;
        }
    }
}
