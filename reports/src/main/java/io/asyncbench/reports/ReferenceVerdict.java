package io.asyncbench.reports;

import java.util.Comparator;
import java.util.List;

/**
 * The sentence that places the JVM styles between the references: asyncio (the model) and c-epoll
 * (the machine's limit), by server CPU per operation, and where the references' throughput stands.
 * The references are never ranked with the JVM styles; this is their sentence of their own.
 */
final class ReferenceVerdict {

    private ReferenceVerdict() {
    }

    /** Null when no setting of {@code b} has both JVM strategies and references. */
    static Sentence sentence(Analysis.Benchmark b) {
        List<Comparison> both = b.comparisons().stream()
                .filter(c -> !c.references().isEmpty() && !c.rows().isEmpty()
                        && !c.lineup().isReference(c.best().strategy()))
                .toList();
        if (both.isEmpty()) {
            return null;
        }
        Comparison c = both.get(0);
        String per = " per " + KnownWorkload.operation(b.workload());
        String setting = Params.label(c.key().params());
        var s = Sentence.builder().text("Beside the references" + (setting.isEmpty() ? "" : " (" + setting + ")")
                + ", not ranked with the JVM styles: ");
        Secondary cpu = Secondary.SERVER_CPU_PER_OP;
        List<Comparison.Row> jvmByCpu = c.rows().stream().filter(r -> cpu.of(r.result()) != null)
                .sorted(Comparator.comparingDouble(r -> cpu.of(r.result()).score())).toList();
        Comparison.Row model = c.lineup().model() == null ? null : c.row(c.lineup().model());
        Comparison.Row limit = c.lineup().limit() == null ? null : c.row(c.lineup().limit());
        boolean cpuSaid = false;
        if (!jvmByCpu.isEmpty() && (model != null && cpu.of(model.result()) != null
                || limit != null && cpu.of(limit.result()) != null)) {
            s.text("server CPU" + per + " ");
            if (model != null && cpu.of(model.result()) != null) {
                s.strategy(model.strategy()).text(" ").number(micros(cpu.of(model.result()))).text(", ");
            }
            Comparison.Row cheapest = jvmByCpu.get(0);
            Comparison.Row dearest = jvmByCpu.get(jvmByCpu.size() - 1);
            s.text("the JVM styles from ").number(micros(cpu.of(cheapest.result()))).text(" (").strategy(cheapest.strategy())
                    .text(limitRatio(c, cheapest)).text(")");
            if (dearest != cheapest) {
                s.text(" to ").number(micros(cpu.of(dearest.result()))).text(" (").strategy(dearest.strategy())
                        .text(limitRatio(c, dearest)).text(")");
            }
            if (limit != null && cpu.of(limit.result()) != null) {
                s.text(", the machine's limit ").strategy(limit.strategy()).text(" ").number(micros(cpu.of(limit.result())));
            }
            cpuSaid = true;
        }
        s.text(cpuSaid ? "; " + b.mode().label + ": " : b.mode().label + ": ");
        boolean first = true;
        for (Comparison.Row r : c.references()) {
            s.text(first ? "" : ", ").strategy(r.strategy()).text(" ").number(Fmt.num(r.metric().score()))
                    .text(" (" + Fmt.ratio(r.relToBest()) + " the best JVM style, ").strategy(c.best().strategy()).text(")");
            first = false;
        }
        return s.text(both.size() > 1 ? "; the tables give the other " + (both.size() - 1) + " settings." : ".").build();
    }

    private static String micros(Metric nanos) {
        return Fmt.micros(nanos.score() / 1000);
    }

    private static String limitRatio(Comparison c, Comparison.Row r) {
        double x = c.cpuToLimit(r);
        return Double.isNaN(x) ? "" : ", " + Fmt.ratio(x) + " the limit";
    }
}
