package io.asyncbench.reports;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Benchmark parameters: a stable order for keys, numeric order for values, one way to print them. */
final class Params {

    /** The load axes first (they are the x of the charts), then the shape of each message. */
    static final List<String> KNOWN_ORDER = List.of(
            "connections", "tasks", "streams", "rate", "size", "pipeline", "endpoint", "backends", "delayMs");

    /** The parameters a chart puts on its logarithmic x axis, in order of preference. */
    static final List<String> CONCURRENCY = List.of("connections", "tasks", "streams");

    static final Comparator<String> KEY_ORDER = Comparator
            .comparingInt((String k) -> KNOWN_ORDER.contains(k) ? KNOWN_ORDER.indexOf(k) : KNOWN_ORDER.size())
            .thenComparing(Comparator.naturalOrder());

    /** Numbers by value (2 before 10), anything else as text, numbers first. */
    static final Comparator<String> VALUE_ORDER = (a, b) -> {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        if (x != null) {
            return -1;
        }
        if (y != null) {
            return 1;
        }
        return a.compareTo(b);
    };

    /** Two parameter sets, key by key in {@link #KEY_ORDER}, values in {@link #VALUE_ORDER}. */
    static final Comparator<SortedMap<String, String>> MAP_ORDER = (a, b) -> {
        var ia = a.entrySet().iterator();
        var ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            var ea = ia.next();
            var eb = ib.next();
            int c = KEY_ORDER.compare(ea.getKey(), eb.getKey());
            if (c == 0) {
                c = VALUE_ORDER.compare(ea.getValue(), eb.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    };

    private Params() {
    }

    static SortedMap<String, String> sorted(Map<String, String> params) {
        var m = new TreeMap<String, String>(KEY_ORDER);
        m.putAll(params);
        return m;
    }

    static SortedMap<String, String> without(SortedMap<String, String> params, String key) {
        var m = new TreeMap<>(params);
        m.remove(key);
        return m;
    }

    /** "connections=64 size=1024", or "" without parameters. */
    static String label(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    static Double number(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
