package io.asyncbench.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds strategies with {@link ServiceLoader}, so adding a strategy is adding a module to the
 * class path: no list of implementations is kept by hand anywhere.
 *
 * <p>Like SLF4J's {@code -Dslf4j.provider}, the system property {@value #SELECT_PROPERTY} (a comma
 * separated list of ids) narrows discovery explicitly, e.g. {@code -Dasyncbench.strategies=selector}
 * to run the conformance suite against one strategy.
 */
public final class Strategies {

    /** System property that restricts discovery to the listed strategy ids. */
    public static final String SELECT_PROPERTY = "asyncbench.strategies";

    /** The order every list of strategies follows: each one's declared order, then its id. */
    public static final Comparator<Strategy> ORDER =
            Comparator.comparingInt((Strategy s) -> s.facts().order()).thenComparing(Strategy::id);

    /** Every strategy on the class path (narrowed by {@value #SELECT_PROPERTY} when set). */
    public static List<Strategy> all() {
        return all(Strategies.class.getClassLoader());
    }

    public static List<Strategy> all(ClassLoader loader) {
        List<Strategy> found = new ArrayList<>(discovered(loader));
        Set<String> wanted = selection();
        if (!wanted.isEmpty()) {
            for (String id : wanted) {
                if (found.stream().noneMatch(s -> s.id().equals(id))) {
                    throw new IllegalArgumentException("-D" + SELECT_PROPERTY + " names '" + id
                            + "', which is not on the class path; found: " + ids(found));
                }
            }
            found.removeIf(s -> !wanted.contains(s.id()));
        }
        return List.copyOf(found);
    }

    /**
     * Every strategy on the class path, whatever {@value #SELECT_PROPERTY} says, in the order each
     * declares ({@link StrategyFacts#order()}), then by id.
     */
    public static List<Strategy> discovered(ClassLoader loader) {
        List<Strategy> found = new ArrayList<>();
        ServiceLoader.load(Strategy.class, loader).forEach(found::add);
        checkUniqueIds(found);
        found.sort(ORDER);
        return List.copyOf(found);
    }

    /** The ids named by {@value #SELECT_PROPERTY}, lower case; empty when it is not set. */
    public static Set<String> selection() {
        return Arrays.stream(System.getProperty(SELECT_PROPERTY, "").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /** The strategy with this id, or an exception listing the ids that exist. */
    public static Strategy byId(String id) {
        List<Strategy> all = all();
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return all.stream().filter(s -> s.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown strategy '" + id + "'; known: " + ids(all)));
    }

    public static List<String> ids(List<Strategy> strategies) {
        return strategies.stream().map(Strategy::id).toList();
    }

    /**
     * The strategies that may serve the gateway's and proxy's backends, first choice first
     * ({@link StrategyFacts#backendRank()}); those that may not are left out.
     */
    public static List<Strategy> backendCandidates(List<Strategy> strategies) {
        return strategies.stream().filter(s -> s.facts().mayServeBackends())
                .sorted(Comparator.comparingInt((Strategy s) -> s.facts().backendRank()).thenComparing(Strategy::id))
                .toList();
    }

    private static void checkUniqueIds(List<Strategy> found) {
        Set<String> seen = new java.util.HashSet<>();
        for (Strategy strategy : found) {
            if (!seen.add(strategy.id())) {
                throw new IllegalStateException("two strategies share the id '" + strategy.id()
                        + "': " + found.stream().filter(s -> s.id().equals(strategy.id()))
                        .map(s -> s.getClass().getName()).toList());
            }
        }
    }

    private Strategies() {
    }
}
