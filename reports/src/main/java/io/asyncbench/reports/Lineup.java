package io.asyncbench.reports;

import java.awt.Color;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The strategies of one report, with what each one declared about itself (its {@code Strategy.facts()}):
 * where it is listed, its colour and line, the module holding its code, and what the report uses it
 * for beyond its own rows (the peer every strategy is compared with, the model, the machine's
 * limit). The report names no strategy itself.
 *
 * <p>The facts come from metadata.json, where {@code run} writes them; for a results folder written
 * before it did, from the caller (the command line passes those of the strategies and references on
 * its class path), and otherwise there are none: such a strategy comes after the others, by name, in
 * a spare colour ({@link StrategyStyles}), and is a reference row only when metadata.json's
 * {@code kind} says so.
 */
public final class Lineup {

    /** The role strings of metadata.json's facts. */
    static final String PEER = "peer";
    static final String MODEL = "model";
    static final String LIMIT = "limit";

    /**
     * One strategy's facts as metadata.json carries them.
     *
     * @param order     lower first ({@link Integer#MAX_VALUE}: undeclared)
     * @param colour    {@code #rrggbb}, or null (a spare colour)
     * @param module    the folder holding its code, or null
     * @param dashed    a baseline drawn dashed (metadata.json: {@code "line": "dashed"})
     * @param role      {@code style}, {@code peer}, {@code model} or {@code limit}
     * @param reference a reference server outside the JVM: shown apart, never ranked
     */
    public record Entry(String id, int order, String colour, String module, boolean dashed, String role,
                        boolean reference) {

        public Entry {
            if (colour != null && !colour.matches("#[0-9a-fA-F]{6}")) {
                throw new IllegalArgumentException("colour must be #rrggbb: " + colour);
            }
            role = role == null ? "style" : role;
        }

        /** A strategy nothing is known about, except whether metadata.json calls it a reference. */
        static Entry undeclared(String id, boolean reference) {
            return new Entry(id, Integer.MAX_VALUE, null, null, false, "style", reference);
        }
    }

    /** No facts at all. */
    static final Lineup NONE = new Lineup(Map.of());

    private final Map<String, Entry> entries;

    private Lineup(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    static Lineup of(List<Entry> entries) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
        return new Lineup(byId);
    }

    /**
     * metadata.json's facts; for a strategy it lists without facts (an older folder), the caller's
     * {@code known} facts of that id, still a reference row if metadata.json's kind says so.
     */
    static Lineup of(Metadata metadata, List<Entry> known) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        known.forEach(e -> byId.put(e.id(), e));
        for (Metadata.StrategyInfo s : metadata.strategies()) {
            boolean reference = "reference".equals(s.kind());
            if (s.facts() != null) {
                Entry f = s.facts();
                byId.put(s.id(), new Entry(s.id(), f.order(), f.colour(), f.module(), f.dashed(), f.role(),
                        reference || f.reference()));
            } else {
                Entry k = byId.get(s.id());
                byId.put(s.id(), k == null ? Entry.undeclared(s.id(), reference)
                        : new Entry(s.id(), k.order(), k.colour(), k.module(), k.dashed(), k.role(), reference || k.reference()));
            }
        }
        return new Lineup(byId);
    }

    Optional<Entry> entry(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** A reference server (asyncio, uvloop, c-epoll): drawn apart and never ranked with the strategies. */
    boolean isReference(String id) {
        return entry(id).map(Entry::reference).orElse(false);
    }

    /** The strategy every other one is also compared with ("× netty-nio"), or null when none declared it. */
    String peer() {
        return withRole(PEER);
    }

    /** The reference row whose server CPU per operation is the machine's limit, or null. */
    String limit() {
        return withRole(LIMIT);
    }

    /** The reference row of the model asyncbench is built on (asyncio), or null. */
    String model() {
        return withRole(MODEL);
    }

    private String withRole(String role) {
        return entries.values().stream().filter(e -> e.role().equals(role))
                .min(Comparator.comparingInt(Entry::order).thenComparing(Entry::id)).map(Entry::id).orElse(null);
    }

    /** Declared order, then by name; strategies without facts after every one with. */
    Comparator<String> order() {
        return Comparator.comparingInt((String id) -> entry(id).map(Entry::order).orElse(Integer.MAX_VALUE))
                .thenComparing(Comparator.naturalOrder());
    }

    /** The declared colour, or empty (the report picks a spare one). */
    Optional<Color> colour(String id) {
        return entry(id).map(Entry::colour).map(c -> new Color(Integer.parseInt(c.substring(1), 16)));
    }

    boolean dashed(String id) {
        return entry(id).map(Entry::dashed).orElse(false);
    }

    /**
     * The strategies whose code is in {@code module}, in order ({@code impl-netty}: netty-nio,
     * netty-epoll); a module no strategy of this report declares: its own name, without "impl-".
     */
    List<String> strategiesOf(String module) {
        List<String> ids = entries.values().stream().filter(e -> module.equals(e.module()))
                .map(Entry::id).sorted(order()).toList();
        return ids.isEmpty() ? List.of(module.startsWith("impl-") ? module.substring(5) : module) : ids;
    }
}
