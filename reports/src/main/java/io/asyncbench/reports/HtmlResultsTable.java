package io.asyncbench.reports;

import static io.asyncbench.reports.Html.esc;

import java.util.List;
import java.util.Locale;

/**
 * One benchmark's table in index.html: per setting, each strategy's score and error, then what it
 * cost (server CPU per operation, the server's and the load generator's CPU use), ratios, overlap,
 * and the workload's other figures ({@link Secondary#columns}). A figure a result lacks shows "—".
 */
final class HtmlResultsTable {

    private final Analysis a;
    private final Analysis.Benchmark b;
    private final StringBuilder out;
    /** Beside the score: the CPU figures. */
    private final List<Secondary> cost;
    /** After the ratios: allocation, memory, the timers' figures. */
    private final List<Secondary> rest;

    private HtmlResultsTable(Analysis a, Analysis.Benchmark b, StringBuilder out) {
        this.a = a;
        this.b = b;
        this.out = out;
        this.cost = b.figures().stream().filter(Secondary::isCpu).toList();
        this.rest = b.figures().stream().filter(s -> !s.isCpu()).toList();
    }

    static void render(Analysis a, Analysis.Benchmark b, StringBuilder out) {
        new HtmlResultsTable(a, b, out).render();
    }

    private void render() {
        String peer = a.styles.lineup().peer();
        boolean ref = peer != null && b.comparisons().stream().anyMatch(c -> c.row(peer) != null);
        boolean base = a.baseline.isPresent();
        boolean tail = b.showsPercentiles();
        out.append("<h3>").append(esc(b.title())).append(" <span class=\"muted\">· ").append(esc(b.displayUnit()))
                .append(b.mode().higherIsBetter ? ", higher is better" : ", lower is better").append(" · <code>")
                .append(esc(b.benchmark())).append("</code></span></h3>\n");
        out.append("<div class=\"scroll\"><table class=\"results\"><thead><tr>");
        for (String k : b.paramKeys()) {
            out.append("<th>").append(esc(k)).append("</th>");
        }
        out.append("<th>strategy</th><th class=\"num\">score ± error</th>");
        cost.forEach(this::heading);
        boolean limit = b.hasLimit();
        if (limit) {
            out.append("<th class=\"num\" title=\"server CPU per operation as a multiple of the machine's limit, ")
                    .append(esc(a.styles.lineup().limit())).append(" in the same setting\"><span class=\"nw\">CPU × limit</span></th>");
        }
        out.append("<th class=\"barcol\">next to the best</th><th class=\"num\">× best</th>");
        if (ref) {
            out.append("<th class=\"num\"><span class=\"nw\">× ").append(esc(peer)).append("</span></th>");
        }
        out.append("<th>no real difference from</th>");
        if (tail) {
            out.append("<th class=\"num\">p50</th><th class=\"num\">p99</th><th class=\"num\">p99.9</th>");
        }
        rest.forEach(this::heading);
        if (base) {
            out.append("<th class=\"num\">vs baseline</th>");
        }
        out.append("</tr></thead>\n");
        for (Comparison c : b.comparisons()) {
            out.append("<tbody class=\"group\">");
            boolean first = true;
            for (Comparison.Row r : c.allRows()) {
                boolean reference = c.references().contains(r);
                out.append("<tr").append(r.best() ? " class=\"best\"" : reference ? " class=\"reference\"" : "").append(">");
                if (first) {
                    for (String k : b.paramKeys()) {
                        out.append("<td class=\"param\" rowspan=\"").append(c.allRows().size()).append("\">")
                                .append(esc(c.key().params().getOrDefault(k, "—"))).append("</td>");
                    }
                    first = false;
                }
                strategy(r, c);
                score(r.metric(), Fmt.num(r.metric().score()), Fmt.errorLike(r.metric().error(), r.metric().score()), "");
                cost.forEach(s -> figure(s, r.result()));
                if (limit) {
                    double x = c.cpuToLimit(r);
                    out.append("<td class=\"num\">").append(Double.isNaN(x) ? "—" : esc(Fmt.ratio(x))).append("</td>");
                }
                out.append("<td class=\"barcol\"><span class=\"bar\" style=\"width:")
                        .append(String.format(Locale.ROOT, "%.1f", Math.min(100, Math.max(1, 100 * r.relToBest()))))
                        .append("%;background:").append(a.styles.hex(r.strategy())).append("\"></span></td>")
                        .append("<td class=\"num\">").append(esc(Fmt.ratio(r.relToBest()))).append("</td>");
                if (ref) {
                    out.append("<td class=\"num\">").append(esc(Fmt.ratio(r.relToReference()))).append("</td>");
                }
                out.append("<td class=\"same\">").append(sameAs(r, c)).append("</td>");
                if (tail) {
                    for (String p : List.of("50.0", "99.0", "99.9")) {
                        Double v = r.metric().percentiles().get(p);
                        out.append("<td class=\"num\">").append(v == null ? "—" : esc(Fmt.num(v))).append("</td>");
                    }
                }
                rest.forEach(s -> figure(s, r.result()));
                if (base) {
                    out.append("<td class=\"num\">").append(HtmlReport.changeCell(a.baseline.get().forCurrent(r.result())))
                            .append("</td>");
                }
                out.append("</tr>\n");
            }
            out.append("</tbody>\n");
        }
        out.append("</table></div>\n");
    }

    private void heading(Secondary s) {
        out.append("<th class=\"num\" title=\"").append(esc(s.description)).append("\">").append(esc(s.label));
        if (s.headingUnit != null) {
            out.append(" <span class=\"unit\">").append(esc(s.headingUnit)).append("</span>");
        }
        out.append("</th>");
    }

    private void strategy(Comparison.Row r, Comparison c) {
        out.append("<td class=\"strat\">").append(Html.chip(a.styles, r.strategy()));
        if (c.references().contains(r)) {
            out.append(" <span class=\"badge ref\" title=\"a reference server outside the JVM: shown for scale, "
                    + "not ranked with the JVM styles\">reference</span>");
        } else if (r.best()) {
            out.append(" <span class=\"badge best\" title=\"the best score of this setting\">★ best</span>");
        } else if (r.tiesBest(c)) {
            out.append(" <span class=\"badge tie\" title=\"no real difference from the best (Welch's t-test, 99 %)\">≈ best</span>");
        }
        out.append("</td>");
    }

    /** A value with its error and, beyond {@link Noise#THRESHOLD}, a ⚠ that carries the relative error. */
    private void score(Metric m, String value, String error, String unit) {
        out.append("<td class=\"num\" title=\"99.9 % confidence interval: ")
                .append(m.hasError() ? esc(Fmt.num(m.low()) + " … " + Fmt.num(m.high()) + unit)
                        : "none (too few samples)")
                .append("\">").append(esc(value))
                .append(" <span class=\"err\">± ").append(m.hasError() ? esc(error) : "?").append("</span>");
        if (Noise.noisy(m)) {
            out.append(" <span class=\"noisy\" title=\"error ").append(esc(Noise.label(m.relativeError())))
                    .append(" of the value: wider than ±").append(esc(Fmt.percent(Noise.THRESHOLD)))
                    .append(", too noisy to rank\">⚠ ").append(esc(Noise.label(m.relativeError()))).append("</span>");
        }
        out.append("</td>");
    }

    private void figure(Secondary s, BenchmarkResult r) {
        Metric m = s.of(r);
        if (m == null) {
            out.append("<td class=\"num muted\" title=\"not in the results\">—</td>");
            return;
        }
        if (s == Secondary.SERVER_CPU_PER_OP) {
            double k = s.scale(r, a.cpus);
            Metric us = new Metric(m.score() * k, m.error() * k, m.low() * k, m.high() * k, "µs/op", m.percentiles());
            score(us, Fmt.num(us.score()), Fmt.errorLike(us.error(), us.score()), " µs");
            return;
        }
        String text = esc(s.format(r, a.cpus));
        if (s == Secondary.LOAD_GENERATOR_CPU && Notes.clientBound(r, a.cpus)) {
            text = "<span class=\"hot\" title=\"client-bound: the load CPUs (load generator plus backends) above "
                    + esc(Fmt.percent(Notes.LOAD_CPUS_SATURATED)) + ": the score is the load side's limit, not the"
                    + " server's; compare server CPU at equal load\">" + text + " ⚑</span>";
        } else if (s == Secondary.BACKEND_CPU && s.value(r, a.cpus) > Notes.BACKENDS_SATURATED) {
            text = "<span class=\"hot\" title=\"above " + esc(Fmt.percent(Notes.BACKENDS_SATURATED))
                    + " of their one core: the backends set the pace; compare server CPU per operation\">" + text + "</span>";
        }
        out.append("<td class=\"num\"").append(cpuTitle(s, r, m)).append(">").append(text).append("</td>");
    }

    /** For CPU use: what 100 % is, since the bench writes percent of one core. */
    private String cpuTitle(Secondary s, BenchmarkResult r, Metric m) {
        int cores = switch (s.kind) {
            case SERVER_SHARE -> a.cpus.serverCores();
            case LOAD_GENERATOR_SHARE -> a.cpus.loadGeneratorCores(r);
            case BACKEND_SHARE -> 1;
            default -> 0;
        };
        if (cores == 0) {
            return "";
        }
        return " title=\"" + esc(Fmt.num(m.score()) + " % of one core; 100 % here = " + cores
                + (cores == 1 ? " core" : " cores")) + "\"";
    }

    /** The strategies with no real difference from this one (Welch's t-test); "all the others" / "all but X" when that is shorter. */
    private String sameAs(Comparison.Row r, Comparison c) {
        List<String> same = r.sameAs();
        int others = c.rows().size() - 1;
        if (same.isEmpty()) {
            return "";
        }
        if (same.size() == others && others > 2) {
            return "all the others";
        }
        if (others > 3 && same.size() >= others - 2) {
            StringBuilder sb = new StringBuilder("all but ");
            c.rows().stream().map(Comparison.Row::strategy)
                    .filter(s -> !s.equals(r.strategy()) && !same.contains(s))
                    .forEach(s -> sb.append(dot(s)));
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder();
        same.forEach(s -> sb.append(dot(s)));
        return sb.toString();
    }

    private String dot(String strategy) {
        return "<span class=\"dot\" style=\"--c:" + a.styles.hex(strategy) + "\">" + esc(strategy) + "</span>";
    }
}
