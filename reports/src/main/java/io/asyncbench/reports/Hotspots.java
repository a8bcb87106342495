package io.asyncbench.reports;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a server spent its time and its allocations in an explained window, from JFR's samples
 * ({@link JfrSamples} reads them; this class only adds them up, so it is tested on made-up samples):
 *
 * <ul>
 *   <li><b>self time</b>: every sample counts once for the method on top of its stack, the method
 *       that was running; a method's share is its samples over all samples. The samples are
 *       {@code jdk.CPUTimeSample}s where the recording has any (JDK 25 and later: each thread
 *       sampled every so much of its CPU time, so a system call counts against the native method
 *       that made it), else {@code jdk.ExecutionSample}s, which JFR takes of threads running Java
 *       code only, so that time in the kernel is not in them (it is in the system calls per
 *       operation beside them). Neither sees the JIT's and the GC's threads;</li>
 *   <li><b>allocation sites</b>: every {@code jdk.ObjectAllocationSample} adds its {@code weight} (the
 *       bytes its thread allocated since the thread's previous sample, which the sample stands for)
 *       to its site and class: the site is the first frame of the stack outside the JDK
 *       ({@link #isJdk}), the code of ours or of the strategy's library that asked, and the class is
 *       what was allocated.</li>
 * </ul>
 */
final class Hotspots {

    /** What a sample whose stack JFR could not walk counts against. */
    static final String NO_STACK = "(stack not walked)";

    /** A method ({@code package.Class.method}) and its share of the samples. */
    record Method(String method, long samples, double share) {

        /** The method without its package ({@link #shortName}). */
        String shortMethod() {
            return shortName(method);
        }
    }

    /**
     * An allocation site ({@code package.Class.method}) and class, the bytes their samples stand
     * for, and their share of all.
     */
    record Allocation(String site, String objectClass, long bytes, double share) {

        /** The site without its package ({@link #shortName}). */
        String shortSite() {
            return shortName(site);
        }
    }

    private final boolean cpuTime;
    private final long samples;
    private final long allocatedBytes;
    private final List<Method> methods;
    private final List<Allocation> allocations;

    private Hotspots(boolean cpuTime, long samples, long allocatedBytes, List<Method> methods,
            List<Allocation> allocations) {
        this.cpuTime = cpuTime;
        this.samples = samples;
        this.allocatedBytes = allocatedBytes;
        this.methods = methods;
        this.allocations = allocations;
    }

    /** Samples in all (CPU-time samples if {@link #cpuTime}, else execution samples). */
    long samples() {
        return samples;
    }

    /** True when the self time comes from CPU-time samples, which see system calls too. */
    boolean cpuTime() {
        return cpuTime;
    }

    /** What the samples are called: "CPU-time samples" or "execution samples". */
    String sampleKind() {
        return cpuTime ? "CPU-time samples" : "execution samples";
    }

    /** The bytes the allocation samples stand for, in all (JFR's estimate of what was allocated). */
    long allocatedBytes() {
        return allocatedBytes;
    }

    /** The {@code n} methods with the most self time, most first (ties by name). */
    List<Method> topMethods(int n) {
        return methods.subList(0, Math.min(n, methods.size()));
    }

    /** The {@code n} allocation sites with the most bytes, most first (ties by site, then class). */
    List<Allocation> topAllocations(int n) {
        return allocations.subList(0, Math.min(n, allocations.size()));
    }

    /**
     * True for a class of the JDK ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.},
     * {@code com.sun.}): an allocation there is charged to the first frame below it that is not.
     */
    static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    /**
     * {@code SelectorEventLoop.runOnce} for {@code io.asyncbench.selector.SelectorEventLoop.runOnce}:
     * the class without its package (a nested class keeps its outer class), a lambda's or hidden
     * class's address left out ({@code Foo$$Lambda/0x0000...} reads {@code Foo$$Lambda}).
     */
    static String shortName(String qualifiedMethod) {
        String m = withoutAddress(qualifiedMethod);
        int dot = m.lastIndexOf('.');
        if (dot < 0) {
            return m;
        }
        String className = m.substring(0, dot);
        return className.substring(className.lastIndexOf('.') + 1) + m.substring(dot);
    }

    /**
     * A class as Java source names it: JFR names arrays as the JVM does ({@code [B},
     * {@code [Ljava.lang.Object;}), which reads {@code byte[]}, {@code java.lang.Object[]}.
     */
    static String javaName(String jvmName) {
        int dims = 0;
        while (dims < jvmName.length() && jvmName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0 || dims == jvmName.length()) {
            return withoutAddress(jvmName);
        }
        String element = jvmName.substring(dims);
        String base = switch (element) {
            case "Z" -> "boolean";
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            default -> element.startsWith("L") && element.endsWith(";")
                    ? element.substring(1, element.length() - 1) : element;
        };
        return base + "[]".repeat(dims);
    }

    /** A hidden class's name without its address: {@code Foo$$Lambda/0x00...} and JFR's {@code Foo$$Lambda.0x00...}. */
    static String withoutAddress(String name) {
        return name.replaceAll("[/.]0x[0-9a-fA-F]+", "");
    }

    /** {@code package.Class.method}, the key of a method in these tables. */
    static String qualified(String className, String method) {
        return className + "." + method;
    }

    /** A stack frame: the method's class and name. */
    record Frame(String className, String method) {
    }

    /**
     * The allocation site of a stack (top frame first): the first frame outside the JDK, or the top
     * frame when every frame is the JDK's; "(no stack)" without frames.
     */
    static String site(List<Frame> stack) {
        if (stack.isEmpty()) {
            return "(no stack)";
        }
        Frame site = stack.stream().filter(f -> !isJdk(f.className())).findFirst().orElse(stack.get(0));
        return qualified(site.className(), site.method());
    }

    /** Adds samples up; one per recording, or one for several recordings of the same setting. */
    static final class Builder {

        private final Map<String, Long> byExecution = new HashMap<>();
        private final Map<String, Long> byCpuTime = new HashMap<>();
        private final Map<List<String>, Long> byAllocation = new HashMap<>();
        private long allocatedBytes;

        /** One execution sample whose top frame is {@code method} ({@link #qualified}). */
        Builder executionSample(String method) {
            byExecution.merge(method, 1L, Long::sum);
            return this;
        }

        /** One CPU-time sample whose top frame is {@code method} ({@link #qualified}, or {@link #NO_STACK}). */
        Builder cpuTimeSample(String method) {
            byCpuTime.merge(method, 1L, Long::sum);
            return this;
        }

        /** One allocation sample of {@code objectClass} at {@code site}, standing for {@code weight} bytes. */
        Builder allocationSample(String site, String objectClass, long weight) {
            if (weight < 0) {
                throw new IllegalArgumentException("an allocation sample of " + weight + " bytes");
            }
            byAllocation.merge(List.of(site, objectClass), weight, Long::sum);
            allocatedBytes += weight;
            return this;
        }

        /** Adds every sample of {@code other} (another recording of the same setting). */
        Builder addAll(Builder other) {
            other.byExecution.forEach((k, v) -> byExecution.merge(k, v, Long::sum));
            other.byCpuTime.forEach((k, v) -> byCpuTime.merge(k, v, Long::sum));
            other.byAllocation.forEach((k, v) -> byAllocation.merge(k, v, Long::sum));
            allocatedBytes += other.allocatedBytes;
            return this;
        }

        /** CPU-time samples when there are any (they see what execution samples see, and more). */
        Hotspots build() {
            boolean cpuTime = !byCpuTime.isEmpty();
            Map<String, Long> bySelf = cpuTime ? byCpuTime : byExecution;
            long samples = bySelf.values().stream().mapToLong(Long::longValue).sum();
            List<Method> methods = bySelf.entrySet().stream()
                    .map(e -> new Method(e.getKey(), e.getValue(), (double) e.getValue() / samples))
                    .sorted(Comparator.comparingLong(Method::samples).reversed().thenComparing(Method::method))
                    .toList();
            List<Allocation> allocations = byAllocation.entrySet().stream()
                    .map(e -> new Allocation(e.getKey().get(0), e.getKey().get(1), e.getValue(),
                            allocatedBytes == 0 ? 0 : (double) e.getValue() / allocatedBytes))
                    .sorted(Comparator.comparingLong(Allocation::bytes).reversed()
                            .thenComparing(Allocation::site).thenComparing(Allocation::objectClass))
                    .toList();
            return new Hotspots(cpuTime, samples, allocatedBytes, methods, allocations);
        }
    }
}
