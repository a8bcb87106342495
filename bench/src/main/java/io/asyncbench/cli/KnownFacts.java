package io.asyncbench.cli;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyFacts;
import io.asyncbench.external.References;
import io.asyncbench.reports.Lineup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;

/**
 * The facts of the strategies on this class path and of the shipped references, as the report
 * takes them: for a results folder written before {@code run} recorded each strategy's facts in
 * metadata.json, which names the strategies without them.
 */
final class KnownFacts {

    static List<Lineup.Entry> onClassPath() {
        List<Lineup.Entry> known = new ArrayList<>();
        try {
            for (Strategy s : Strategies.discovered(KnownFacts.class.getClassLoader())) {
                known.add(entry(s.id(), s.facts(), false));
            }
        } catch (IllegalStateException | ServiceConfigurationError broken) {
            // a broken module: the report still renders, without its facts
        }
        References.allFacts().forEach((name, facts) -> known.add(entry(name, facts, true)));
        return known;
    }

    static Lineup.Entry entry(String id, StrategyFacts facts, boolean reference) {
        return new Lineup.Entry(id, facts.order(), facts.colour(), facts.module(),
                facts.line() == StrategyFacts.Line.DASHED, facts.role().name().toLowerCase(Locale.ROOT), reference);
    }

    private KnownFacts() {
    }
}
