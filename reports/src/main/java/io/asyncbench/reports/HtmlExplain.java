package io.asyncbench.reports;

import static io.asyncbench.reports.Html.esc;

/**
 * "Where the time goes" in index.html: per explained setting a table of every strategy's kernel
 * figures and hottest method, then per strategy (folded, no script) its top methods by self time
 * and its top allocation sites side by side.
 */
final class HtmlExplain {

    /** The section's anchor, for the header's navigation. */
    static final String ID = "where-the-time-goes";

    private HtmlExplain() {
    }

    static void render(StrategyStyles styles, ExplainSection.Explained explained, StringBuilder out) {
        if (explained.isEmpty()) {
            return;
        }
        out.append("<section id=\"").append(ID).append("\"><h2>Where the time goes</h2>\n<p class=\"desc\">")
                .append(esc(ExplainText.INTRO)).append("</p>\n");
        for (String problem : explained.unreadable()) {
            out.append("<p class=\"warn caution\"><strong>Not read:</strong> ").append(esc(problem)).append("</p>\n");
        }
        for (ExplainSection.Group g : explained.groups()) {
            out.append("<h3>").append(esc(g.label())).append("</h3>\n");
            summary(styles, g, out);
            for (ExplainSection.Row r : g.rows()) {
                strategy(styles, r, out);
            }
        }
        out.append("</section>\n");
    }

    private static void summary(StrategyStyles styles, ExplainSection.Group g, StringBuilder out) {
        out.append("<div class=\"scroll\"><table class=\"results\"><thead><tr><th>strategy</th>")
                .append("<th class=\"num\" title=\"operations the server counted in the recorded windows\">operations</th>")
                .append("<th class=\"num\" title=\"JFR's CPU-time samples (JDK 25 and later), else its execution samples\">samples</th>")
                .append("<th class=\"num\" title=\"read and readv calls of the server's threads, per operation\">read syscalls/op</th>")
                .append("<th class=\"num\" title=\"write and writev calls of the server's threads, per operation\">write syscalls/op</th>")
                .append("<th class=\"num\" title=\"a thread blocked, per operation\">voluntary switches/op</th>")
                .append("<th class=\"num\" title=\"a thread was preempted, per operation\">involuntary switches/op</th>")
                .append("<th class=\"num\" title=\"the bytes JFR's allocation samples stand for, per operation\">sampled alloc/op</th>")
                .append("<th>most self time</th></tr></thead><tbody>\n");
        for (ExplainSection.Row r : g.rows()) {
            ExplainSection.PerOperation p = r.perOperation();
            out.append("<tr><td>").append(Html.chip(styles, r.strategy())).append("</td>");
            num(out, String.format(java.util.Locale.US, "%,d", r.operations()));
            num(out, r.hotspots() == null ? "—" : String.format(java.util.Locale.US, "%,d", r.hotspots().samples()));
            num(out, ExplainText.syscalls(p, p.readSyscalls()));
            num(out, ExplainText.syscalls(p, p.writeSyscalls()));
            num(out, ExplainText.count(p.voluntarySwitches()));
            num(out, ExplainText.count(p.involuntarySwitches()));
            num(out, ExplainText.bytes(p.allocatedBytes()));
            out.append("<td><code>").append(esc(ExplainText.hottest(r))).append("</code></td></tr>\n");
        }
        out.append("</tbody></table></div>\n");
    }

    private static void strategy(StrategyStyles styles, ExplainSection.Row r, StringBuilder out) {
        out.append("<details><summary>").append(Html.chip(styles, r.strategy())).append(" <span class=\"muted\">")
                .append(esc(ExplainText.summary(r))).append("</span></summary>\n");
        for (String problem : r.problems()) {
            out.append("<p class=\"warn caution\">").append(esc(problem)).append("</p>\n");
        }
        if (r.perOperation().syscallsNotCounted()) {
            out.append("<p class=\"muted\">").append(esc(ExplainText.NOT_COUNTED_WHY)).append("</p>\n");
        }
        Hotspots h = r.hotspots();
        out.append("<div class=\"scroll\">");
        if (h != null && h.samples() > 0) {
            out.append("<table class=\"results\"><thead><tr><th class=\"num\">self time</th><th class=\"num\">samples</th>")
                    .append("<th>method</th></tr></thead><tbody>\n");
            for (Hotspots.Method m : h.topMethods(ExplainSection.TOP)) {
                out.append("<tr>");
                num(out, Fmt.percent(m.share()));
                num(out, Long.toString(m.samples()));
                out.append("<td><code title=\"").append(esc(m.method())).append("\">").append(esc(m.shortMethod()))
                        .append("</code></td></tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        if (h != null && h.allocatedBytes() > 0) {
            out.append("<table class=\"results\"><thead><tr><th class=\"num\">allocated</th><th class=\"num\">per op</th>")
                    .append("<th>class</th><th>site</th></tr></thead><tbody>\n");
            for (Hotspots.Allocation a : h.topAllocations(ExplainSection.TOP)) {
                out.append("<tr>");
                num(out, Fmt.percent(a.share()));
                num(out, ExplainText.bytes(a.share() * r.perOperation().allocatedBytes()));
                out.append("<td><code>").append(esc(a.objectClass())).append("</code></td><td><code title=\"")
                        .append(esc(a.site())).append("\">").append(esc(a.shortSite())).append("</code></td></tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        out.append("</div></details>\n");
    }

    private static void num(StringBuilder out, String text) {
        out.append("<td class=\"num\">").append(esc(text)).append("</td>");
    }
}
