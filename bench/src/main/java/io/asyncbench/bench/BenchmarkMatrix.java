package io.asyncbench.bench;

import io.asyncbench.api.Workload;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.openjdk.jmh.annotations.Param;

/**
 * What one benchmark class measures in each profile, declared once, in the class, beside its
 * {@code @Param}s (each benchmark's {@code MATRIX}); {@code run}'s profiles read it and restate
 * nothing:
 *
 * <ul>
 *   <li>{@code full}: every combination of the {@code @Param} values (the axes, outermost first),
 *       every {@code @Benchmark} method;</li>
 *   <li>{@code quick}: the headline settings, each with the primary method only;</li>
 *   <li>{@code smoke}: one small setting, every method (the wiring of each).</li>
 * </ul>
 *
 * A throughput case is followed by open-loop runs at its parameters where the benchmark's rule says
 * so (and the pick does not rule it out). The values of an axis are its {@code @Param} values, so a
 * plain JMH run ({@code java -jar benchmarks.jar EchoBenchmark -p strategy=ID}) measures the same
 * matrix as {@code full}; smoke may pick values of its own (fewer connections), since JMH takes any
 * value a run passes.
 */
public final class BenchmarkMatrix {

    /** One case: a method at a setting, and whether the open loop follows it (throughput only). */
    public record Setting(String method, Map<String, String> params, boolean openLoop) {

        public Setting {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    /**
     * A setting chosen for quick or smoke.
     *
     * @param everyMethod     every method of the benchmark, or the primary one (the first) only
     * @param openLoopAllowed false: no open-loop runs at this setting whatever the rule says
     */
    public record Pick(Map<String, String> params, boolean everyMethod, boolean openLoopAllowed) {

        /** The same setting, with no open-loop runs. */
        public Pick withoutOpenLoop() {
            return new Pick(params, everyMethod, false);
        }
    }

    private final Class<? extends AsyncBenchmark> benchmark;
    private final List<String> methods;
    private final List<String> axes;
    private final Predicate<Map<String, String>> openLoop;
    private final List<Pick> quick;
    private final List<Pick> smoke;

    private BenchmarkMatrix(Class<? extends AsyncBenchmark> benchmark, List<String> methods, List<String> axes,
                            Predicate<Map<String, String>> openLoop, List<Pick> quick, List<Pick> smoke) {
        this.benchmark = benchmark;
        this.methods = List.copyOf(methods);
        this.axes = List.copyOf(axes);
        this.openLoop = openLoop;
        this.quick = List.copyOf(quick);
        this.smoke = List.copyOf(smoke);
    }

    /**
     * The matrix of {@code benchmark}, whose {@code @Benchmark} methods are {@code methods}, the
     * primary (the one quick runs, whose score the open loop takes its rates from) first.
     */
    public static BenchmarkMatrix of(Class<? extends AsyncBenchmark> benchmark, String... methods) {
        if (methods.length == 0) {
            throw new IllegalArgumentException(benchmark.getSimpleName() + ": name its @Benchmark methods");
        }
        return new BenchmarkMatrix(benchmark, Arrays.asList(methods), List.of(), p -> false, List.of(), List.of());
    }

    /** The {@code @Param} fields that make the matrix, outermost first (also the order cases print them in). */
    public BenchmarkMatrix axes(String... names) {
        return new BenchmarkMatrix(benchmark, methods, Arrays.asList(names), openLoop, quick, smoke);
    }

    /** Where a throughput case is followed by open-loop runs (default: nowhere). */
    public BenchmarkMatrix openLoopWhere(Predicate<Map<String, String>> rule) {
        return new BenchmarkMatrix(benchmark, methods, axes, rule, quick, smoke);
    }

    public BenchmarkMatrix quick(Pick... picks) {
        return new BenchmarkMatrix(benchmark, methods, axes, openLoop, Arrays.asList(picks), smoke);
    }

    public BenchmarkMatrix smoke(Pick... picks) {
        return new BenchmarkMatrix(benchmark, methods, axes, openLoop, quick, Arrays.asList(picks));
    }

    /** A setting (name, value, name, value, ...) measured by every method. */
    public static Pick every(String... keyValues) {
        return new Pick(pairs(keyValues), true, true);
    }

    /** A setting measured by the primary method only. */
    public static Pick primary(String... keyValues) {
        return new Pick(pairs(keyValues), false, true);
    }

    public Class<? extends AsyncBenchmark> benchmark() {
        return benchmark;
    }

    /** The workload: the class name minus "Benchmark" (the results format's rule). */
    public Workload workload() {
        String name = benchmark.getSimpleName();
        return Workload.byId(name.substring(0, name.length() - "Benchmark".length()));
    }

    public List<String> methods() {
        return methods;
    }

    public List<String> axes() {
        return axes;
    }

    /** Every combination of the axes' {@code @Param} values, the first axis outermost, every method. */
    public List<Setting> full() {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (String axis : axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : combinations) {
                for (String value : values(axis)) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(axis, value);
                    next.add(m);
                }
            }
            combinations = next;
        }
        List<Setting> out = new ArrayList<>();
        for (Map<String, String> params : combinations) {
            out.addAll(settings(new Pick(params, true, true)));
        }
        return out;
    }

    public List<Setting> quick() {
        return quick.stream().flatMap(p -> settings(p).stream()).toList();
    }

    public List<Setting> smoke() {
        return smoke.stream().flatMap(p -> settings(p).stream()).toList();
    }

    /** The values of an axis: its {@code @Param} field's. */
    public List<String> values(String axis) {
        try {
            Field field = benchmark.getField(axis);
            Param param = field.getAnnotation(Param.class);
            if (param == null) {
                throw new IllegalStateException(benchmark.getSimpleName() + "." + axis + " is not a @Param");
            }
            return List.of(param.value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(benchmark.getSimpleName() + " has no @Param " + axis, e);
        }
    }

    private List<Setting> settings(Pick pick) {
        List<Setting> out = new ArrayList<>();
        for (String method : pick.everyMethod() ? methods : methods.subList(0, 1)) {
            boolean open = method.equals(methods.get(0)) && pick.openLoopAllowed() && openLoop.test(pick.params());
            out.add(new Setting(method, pick.params(), open));
        }
        return out;
    }

    private static Map<String, String> pairs(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("name, value pairs expected: " + Arrays.toString(keyValues));
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    @Override
    public String toString() {
        return benchmark.getSimpleName() + axes;
    }
}
