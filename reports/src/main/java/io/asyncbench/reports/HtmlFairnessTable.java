package io.asyncbench.reports;

import static io.asyncbench.reports.Html.esc;

import java.util.List;

/**
 * The fairness table in index.html: per setting, each strategy's spread of per-connection
 * completions (as a share of its server's mean), Jain's index and its stalled connections.
 */
final class HtmlFairnessTable {

    private HtmlFairnessTable() {
    }

    static void render(StrategyStyles styles, List<FairnessSection.Group> groups, StringBuilder out) {
        out.append("<div class=\"scroll\"><table class=\"results\"><thead><tr><th>setting</th><th>strategy</th>")
                .append("<th class=\"num\" title=\"connections per server JVM × server JVMs\">connections</th>")
                .append("<th class=\"num\" title=\"the least-served connection, as a share of its server's mean\">min</th>")
                .append("<th class=\"num\" title=\"first percentile (nearest rank) of the shares\">p1</th>")
                .append("<th class=\"num\">median</th><th class=\"num\">max</th>")
                .append("<th class=\"num\" title=\"(Σx)² / (n Σx²): 1 = every connection got the same\">Jain's index</th>")
                .append("<th class=\"num\" title=\"connections that completed nothing for ")
                .append(Fairness.STALL).append(" or more\">stalled ≥ ")
                .append(Fairness.STALL).append("</th>")
                .append("<th class=\"num\">longest gap</th></tr></thead>\n");
        for (FairnessSection.Group g : groups) {
            out.append("<tbody class=\"group\">");
            boolean first = true;
            for (FairnessSection.Row r : g.rows()) {
                Fairness f = r.fairness();
                out.append("<tr>");
                if (first) {
                    String p = Params.label(g.params());
                    out.append("<td class=\"param\" rowspan=\"").append(g.rows().size()).append("\">")
                            .append(esc(g.rows().get(0).run().method()))
                            .append(p.isEmpty() ? "" : "<br><span class=\"muted\">" + esc(p) + "</span>").append("</td>");
                    first = false;
                }
                out.append("<td>").append(Html.chip(styles, r.strategy()));
                if (f.starves()) {
                    out.append(" <span class=\"badge bad\" title=\"a connection stalled for ")
                            .append(Fairness.STALL).append(" or more, or Jain's index below ")
                            .append(Fmt.num(Fairness.JAIN_FLOOR)).append("\">starves</span>");
                }
                out.append("</td>");
                num(out, r.run().connectionsText());
                for (double share : new double[] {f.min(), f.p1(), f.median(), f.max()}) {
                    num(out, Fmt.percent(share));
                }
                num(out, f.jainText());
                out.append(f.stalled() > 0 ? "<td class=\"num bad\"><b>" : "<td class=\"num\">")
                        .append(f.stalled()).append(f.stalled() > 0 ? "</b>" : "").append("</td>");
                num(out, Fmt.num(f.longestGapMillis()) + " ms");
                out.append("</tr>\n");
            }
            out.append("</tbody>\n");
        }
        out.append("</table></div>\n");
    }

    private static void num(StringBuilder out, String text) {
        out.append("<td class=\"num\">").append(esc(text)).append("</td>");
    }
}
