package io.asyncbench.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the rest of asyncbench needs to know about a strategy besides its code, declared by the
 * strategy itself ({@link Strategy#facts()}), so that no other module names it: the command line
 * lists strategies in this order, {@code run} picks the gateway's and proxy's backends by it and
 * writes it into each results folder's metadata.json, and the report takes its order, colours,
 * line styles, comparison peer and code side by side from there.
 *
 * <p>The shipped strategies use the orders 10 (callbacks), 20 (futures), 30 (virtual-threads),
 * 35 (structured), 40 (platform-threads), 45 (kotlin-coroutines), 50 (selector), 60 (netty-nio),
 * 70 (netty-epoll), 80 (reactor), 90 (vertx): simplest machinery first, the frameworks built on
 * Netty after it; the reference servers (asyncio, uvloop, c-epoll) 110 to 130, after every
 * JVM style. A new strategy picks a number between; a strategy that declares nothing comes after
 * all of these, by id, in a colour the report picks from its spare palette.
 *
 * @param order       where lists, tables and charts put it: lower first
 * @param colour      its colour in every chart and table, {@code #rrggbb}; null: the report picks one
 * @param module      the folder (Maven module) holding its code, for the report's handlers side by
 *                    side ({@code impl-netty}); null when it has none there
 * @param line        how charts draw it
 * @param role        what the report uses it for beyond its own rows
 * @param backendRank {@link #NOT_A_BACKEND}, or its place among the strategies that may serve the
 *                    gateway's and proxy's backends (1 first): backends are the same for every
 *                    strategy measured, the fastest available one
 * @param jvmOptions  the options a JVM that runs this strategy's servers needs beyond those every
 *                    server gets ({@code --enable-preview} for a strategy built on a preview API);
 *                    usually none. A server process the bench starts gets them (and only that
 *                    server), {@code serve} starts itself again with them when its JVM lacks them,
 *                    and metadata.json records them; {@link Strategy#availability()} answers for a
 *                    JVM started with them
 */
public record StrategyFacts(int order, String colour, String module, Line line, Role role, int backendRank,
                            List<String> jvmOptions) {

    /** {@link #backendRank} of a strategy that never serves the backends of another's benchmark. */
    public static final int NOT_A_BACKEND = 0;

    /** What a strategy that declares nothing gets: last, a spare colour, no module, never a backend. */
    public static final StrategyFacts UNDECLARED =
            new StrategyFacts(Integer.MAX_VALUE, null, null, Line.SOLID, Role.STYLE, NOT_A_BACKEND, List.of());

    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

    /** How charts draw a strategy's line. */
    public enum Line {
        SOLID,
        /** A baseline another style replaces (platform threads, which virtual threads replace). */
        DASHED
    }

    /** What the report does with a strategy beyond showing its rows. */
    public enum Role {
        /** One style among the others. */
        STYLE,
        /** The widely used implementation every other one is also compared with ("× netty-nio"). */
        PEER,
        /** The reference row of the model asyncbench is built on (asyncio). */
        MODEL,
        /** The reference row whose server CPU per operation is the machine's limit (c-epoll). */
        LIMIT
    }

    public StrategyFacts {
        if (order < 0) {
            throw new IllegalArgumentException("order must not be negative: " + order);
        }
        if (colour != null && !COLOUR.matcher(colour).matches()) {
            throw new IllegalArgumentException("colour must be #rrggbb: " + colour);
        }
        if (module != null && module.isBlank()) {
            throw new IllegalArgumentException("module must be null or a folder name, not blank");
        }
        if (line == null || role == null) {
            throw new IllegalArgumentException("line and role must not be null");
        }
        if (backendRank < 0) {
            throw new IllegalArgumentException("backendRank must not be negative: " + backendRank);
        }
        jvmOptions = List.copyOf(jvmOptions);
        if (jvmOptions.stream().anyMatch(option -> option.isBlank() || !option.equals(option.strip()))) {
            throw new IllegalArgumentException("each JVM option must be one non-blank word: " + jvmOptions);
        }
    }

    /** The facts of a strategy that needs no JVM options of its own. */
    public StrategyFacts(int order, String colour, String module, Line line, Role role, int backendRank) {
        this(order, colour, module, line, role, backendRank, List.of());
    }

    /** A solid-line style that never serves backends; refine with the {@code with...} methods. */
    public static StrategyFacts of(int order, String colour, String module) {
        return new StrategyFacts(order, colour, module, Line.SOLID, Role.STYLE, NOT_A_BACKEND, List.of());
    }

    /** The same, allowed to serve the gateway's and proxy's backends at this rank (1 = first choice). */
    public StrategyFacts withBackendRank(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("a backend rank starts at 1: " + rank);
        }
        return new StrategyFacts(order, colour, module, line, role, rank, jvmOptions);
    }

    public StrategyFacts withLine(Line newLine) {
        return new StrategyFacts(order, colour, module, newLine, role, backendRank, jvmOptions);
    }

    public StrategyFacts withRole(Role newRole) {
        return new StrategyFacts(order, colour, module, line, newRole, backendRank, jvmOptions);
    }

    /** The same, run in JVMs started with these options as well (see {@link #jvmOptions}). */
    public StrategyFacts withJvmOptions(String... options) {
        return new StrategyFacts(order, colour, module, line, role, backendRank, List.of(options));
    }

    /** True when {@code run} may start this strategy as the backends of a gateway or proxy benchmark. */
    public boolean mayServeBackends() {
        return backendRank != NOT_A_BACKEND;
    }
}
