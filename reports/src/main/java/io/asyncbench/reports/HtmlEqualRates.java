package io.asyncbench.reports;

import static io.asyncbench.reports.Html.esc;

import java.util.List;

/**
 * The opening of index.html: latency at equal rates, then server CPU at equal rates, one block per
 * benchmark setting that has a common open-loop ladder. Both compare every strategy at the same
 * absolute request rates (the same load), which is what ranks servers on a machine where the load
 * generator may saturate first. Own-peak fractions, further down, are the second view.
 */
final class HtmlEqualRates {

    /** One setting's charts. */
    record View(EqualRates rates, Charts.Chart latency, Charts.Chart cpu) {
    }

    private HtmlEqualRates() {
    }

    /** "could not sustain 30,000/s: sent 21,300/s, completed 21,280/s, send lag p50 4.10 ms". */
    static String couldNotSustain(LatencyRun r) {
        OpenLoopFigures f = r.figures();
        StringBuilder s = new StringBuilder("could not sustain ").append(Fmt.num(r.intendedRatePerSecond())).append("/s");
        String sep = ": ";
        if (f.sentRate() != null) {
            s.append(sep).append("sent ").append(Fmt.num(f.sentRate())).append("/s");
            sep = ", ";
        }
        if (f.completedRate() != null) {
            s.append(sep).append("completed ").append(Fmt.num(f.completedRate())).append("/s");
            sep = ", ";
        }
        if (f.sendLagP50Micros() != null) {
            s.append(sep).append("send lag p50 ").append(Fmt.micros(f.sendLagP50Micros()));
            sep = ", ";
        }
        if (Boolean.TRUE.equals(f.overran())) {
            s.append(sep).append("the window overran");
        }
        return s.toString();
    }

    static void render(Analysis a, List<View> views, StringBuilder out) {
        out.append("<section id=\"latency-at-equal-rates\"><h2>Latency at equal rates</h2>\n<p class=\"desc\">")
                .append("Every strategy was sent the same request rates, open loop (requests leave at fixed")
                .append(" intended times whatever the server does; latency counts from those times), at fractions")
                .append(" of the slowest strategy's measured peak (with run --rates-from: an earlier run's rates). A strategy that fell behind (fewer than 97 % of the")
                .append(" requests sent or answered within the window, the window overran, or requests left more")
                .append(" than 1 ms late at the median) is shown as <em>could not sustain</em>, never as a latency at that")
                .append(" rate. ★ = lowest p99 at that rate.</p>\n");
        if (views.isEmpty()) {
            out.append("<p class=\"muted\">No open-loop runs at common rates in these results (older results, or a")
                    .append(" run without open-loop latency).</p>\n");
        }
        verdicts(a, views.stream().map(v -> v.rates().latencyVerdict()).toList(), out);
        charts(views.stream().map(View::latency).toList(), out);
        for (View v : views) {
            out.append("<h3>").append(esc(v.rates().label())).append("</h3>\n");
            latencyTable(a, v.rates(), out);
        }
        out.append("</section>\n");

        out.append("<section id=\"cpu-at-equal-rates\"><h2>Server CPU at equal rates</h2>\n<p class=\"desc\">")
                .append("The headline cost: CPU time of the server process per request at each common rate, read from")
                .append(" the server's own stats at the start and end of every open-loop window (and of its")
                .append(" sub-windows, which give the ± interval). The strategies take turns, one short window each")
                .append(" per round, so a drift of the machine's speed falls on all alike. An event loop that is not saturated handles fewer")
                .append(" events per wake-up, so costs compare at the same rate; the closed-loop CPU per operation")
                .append(" further down (each strategy at its own peak) is the secondary figure. ★ = least CPU at that")
                .append(" rate, among the strategies that kept up.</p>\n");
        verdicts(a, views.stream().map(v -> v.rates().cpuVerdict()).toList(), out);
        charts(views.stream().map(View::cpu).toList(), out);
        for (View v : views) {
            out.append("<h3>").append(esc(v.rates().label())).append("</h3>\n");
            cpuTable(a, v.rates(), out);
        }
        out.append("</section>\n");
        // Issue 9 §4: the fairness-between-connections chart follows here, third in the opening.
        out.append("<!-- fairness between connections: the next section of the opening -->\n");
    }

    private static void latencyTable(Analysis a, EqualRates e, StringBuilder out) {
        out.append("<div class=\"scroll\"><table class=\"results equal\"><thead><tr><th>strategy</th>");
        for (int i = 0; i < e.rates().size(); i++) {
            out.append("<th class=\"num\">").append(esc(Fmt.num(e.rates().get(i)))).append(" req/s")
                    .append(fraction(e, e.rates().get(i))).append("<br><span class=\"unit\">p50 · p99 · p99.9</span></th>");
        }
        out.append("</tr></thead><tbody>\n");
        for (String s : e.strategies()) {
            out.append("<tr><td class=\"strat\">").append(Html.chip(a.styles, s)).append("</td>");
            for (double rate : e.rates()) {
                LatencyRun r = e.run(s, rate);
                if (r == null) {
                    out.append("<td class=\"num muted\">—</td>");
                    continue;
                }
                OpenLoopFigures f = r.figures();
                if (f.couldNotSustain()) {
                    out.append("<td class=\"behind\" title=\"").append(esc(String.join("; ", f.fellBehind()))).append("\">")
                            .append(esc(couldNotSustain(r))).append("</td>");
                    continue;
                }
                LatencyRun.Histogram h = r.histogram();
                List<LatencyRun> ranked = e.sustainedAt(rate);
                boolean best = ranked.size() > 1 && ranked.contains(r) && h.valueAt(0.99) == e.bestP99(rate);
                out.append("<td class=\"num").append(best ? " bestcell" : "").append("\">")
                        .append(esc(Fmt.micros(h.valueAt(0.5)))).append(" · <b>").append(esc(Fmt.micros(h.valueAt(0.99))))
                        .append("</b> · ").append(esc(h.cell(0.999)));
                if (best) {
                    out.append(" <span class=\"badge best\" title=\"lowest p99 at this rate\">★</span>");
                }
                out.append("<span class=\"sub\">").append(esc(clientLine(f))).append("</span></td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table></div>\n");
    }

    private static void cpuTable(Analysis a, EqualRates e, StringBuilder out) {
        String op = KnownWorkload.operation(e.workload());
        out.append("<div class=\"scroll\"><table class=\"results equal\"><thead><tr><th>strategy</th>");
        for (double rate : e.rates()) {
            out.append("<th class=\"num\">").append(esc(Fmt.num(rate))).append(" req/s").append(fraction(e, rate))
                    .append("<br><span class=\"unit\">server CPU µs/").append(esc(op)).append("</span></th>");
        }
        out.append("</tr></thead><tbody>\n");
        for (String s : e.strategies()) {
            out.append("<tr><td class=\"strat\">").append(Html.chip(a.styles, s)).append("</td>");
            for (double rate : e.rates()) {
                LatencyRun r = e.run(s, rate);
                if (r == null || r.figures().serverCpuNanosPerOp() == null) {
                    out.append("<td class=\"num muted\">—</td>");
                    continue;
                }
                OpenLoopFigures f = r.figures();
                if (f.couldNotSustain()) {
                    out.append("<td class=\"behind\" title=\"").append(esc(String.join("; ", f.fellBehind())))
                            .append("\">fell behind</td>");
                    continue;
                }
                List<LatencyRun> cheapest = e.byCpuAt(rate);
                boolean best = cheapest.size() > 1 && cheapest.get(0) == r;
                out.append("<td class=\"num").append(best ? " bestcell" : "").append("\">")
                        .append(esc(Fmt.num(f.serverCpuNanosPerOp() / 1000)));
                if (f.serverCpuNanosPerOpError() != null) {
                    out.append(" <span class=\"err\">± ").append(esc(Fmt.errorLike(f.serverCpuNanosPerOpError() / 1000,
                            f.serverCpuNanosPerOp() / 1000))).append("</span>");
                }
                if (best) {
                    out.append(" <span class=\"badge best\" title=\"least server CPU at this rate\">★</span>");
                }
                out.append("<span class=\"sub\">").append(esc(clientLine(f))).append("</span></td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table></div>\n");
    }

    /** "client 12 % · backends 40 %": what the load side spent on the run. */
    static String clientLine(OpenLoopFigures f) {
        StringBuilder s = new StringBuilder();
        if (f.loadGeneratorCpuPercent() != null) {
            s.append("client CPU ").append(Fmt.num(f.loadGeneratorCpuPercent())).append(" %");
        }
        if (f.backendCpuPercent() != null) {
            s.append(s.isEmpty() ? "" : " · ").append("backends ").append(Fmt.num(f.backendCpuPercent())).append(" %");
        }
        return s.toString();
    }

    private static String fraction(EqualRates e, double rate) {
        LatencyRun any = e.strategies().stream().map(s -> e.run(s, rate)).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        Double f = any == null ? null : any.figures().fractionOfSlowestPeak();
        return f == null ? "" : " <span class=\"unit\">(" + esc(Fmt.percent(f)) + ")</span>";
    }

    /** One verdict box for every setting's sentence (those that have one). */
    private static void verdicts(Analysis a, List<Sentence> sentences, StringBuilder out) {
        List<Sentence> said = sentences.stream().filter(java.util.Objects::nonNull).toList();
        if (said.isEmpty()) {
            return;
        }
        out.append("<div class=\"verdict\"><h3 class=\"small\">Verdict <span class=\"muted\">(computed from the")
                .append(" numbers below)</span></h3><ul>");
        for (Sentence s : said) {
            out.append("<li>").append(sentence(a, s)).append("</li>");
        }
        out.append("</ul></div>\n");
    }

    /** Every setting's chart side by side, so that workloads read across. */
    private static void charts(List<Charts.Chart> charts, StringBuilder out) {
        List<Charts.Chart> drawn = charts.stream().filter(java.util.Objects::nonNull).toList();
        if (drawn.isEmpty()) {
            return;
        }
        out.append("<div class=\"charts\">\n");
        drawn.forEach(c -> figure(c, out));
        out.append("</div>\n");
    }

    private static void figure(Charts.Chart c, StringBuilder out) {
        if (c == null) {
            return;
        }
        out.append("<figure class=\"chart").append(c.wide() ? " wide" : "").append("\" role=\"img\" aria-label=\"")
                .append(esc(c.title())).append("\">").append(c.svg()).append("<figcaption>").append(esc(c.caption()))
                .append("</figcaption></figure>\n");
    }

    private static String sentence(Analysis a, Sentence s) {
        StringBuilder b = new StringBuilder();
        for (Sentence.Part p : s.parts()) {
            switch (p) {
                case Sentence.Text t -> b.append(esc(t.text()));
                case Sentence.Strategy st -> b.append(Html.chip(a.styles, st.id()));
                case Sentence.Number n -> b.append("<b>").append(esc(n.text())).append("</b>");
            }
        }
        return b.toString();
    }
}
