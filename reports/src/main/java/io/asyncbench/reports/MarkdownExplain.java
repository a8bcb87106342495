package io.asyncbench.reports;

import static io.asyncbench.reports.MarkdownReport.md;

/**
 * "Where the time goes" in report.md: per explained setting a table of every strategy's kernel
 * figures and hottest method, then per strategy (folded) its top methods by self time and its top
 * allocation sites.
 */
final class MarkdownExplain {

    private MarkdownExplain() {
    }

    static void render(ExplainSection.Explained explained, StringBuilder out) {
        if (explained.isEmpty()) {
            return;
        }
        out.append("## Where the time goes\n\n").append(md(ExplainText.INTRO)).append("\n\n");
        for (String problem : explained.unreadable()) {
            out.append("> **Not read:** ").append(md(problem)).append("\n\n");
        }
        for (ExplainSection.Group g : explained.groups()) {
            out.append("### ").append(md(g.label())).append("\n\n")
                    .append("| strategy | operations | samples | read syscalls/op | write syscalls/op | voluntary switches/op")
                    .append(" | involuntary switches/op | sampled alloc/op | most self time |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (ExplainSection.Row r : g.rows()) {
                ExplainSection.PerOperation p = r.perOperation();
                out.append("| ").append(md(r.strategy())).append(" | ").append(String.format(java.util.Locale.US, "%,d", r.operations()))
                        .append(" | ").append(r.hotspots() == null ? "—" : String.format(java.util.Locale.US, "%,d", r.hotspots().samples()))
                        .append(" | ").append(ExplainText.syscalls(p, p.readSyscalls()))
                        .append(" | ").append(ExplainText.syscalls(p, p.writeSyscalls()))
                        .append(" | ").append(ExplainText.count(p.voluntarySwitches()))
                        .append(" | ").append(ExplainText.count(p.involuntarySwitches()))
                        .append(" | ").append(ExplainText.bytes(p.allocatedBytes()))
                        .append(" | ").append(md(ExplainText.hottest(r))).append(" |\n");
            }
            out.append("\n");
            for (ExplainSection.Row r : g.rows()) {
                strategy(r, out);
            }
        }
    }

    private static void strategy(ExplainSection.Row r, StringBuilder out) {
        out.append("<details><summary>").append(md(r.strategy())).append(": ").append(md(ExplainText.summary(r)))
                .append("</summary>\n\n");
        for (String problem : r.problems()) {
            out.append("> ").append(md(problem)).append("\n\n");
        }
        if (r.perOperation().syscallsNotCounted()) {
            out.append("> ").append(md(ExplainText.NOT_COUNTED_WHY)).append("\n\n");
        }
        Hotspots h = r.hotspots();
        if (h != null && h.samples() > 0) {
            out.append("| self time | samples | method |\n|---:|---:|---|\n");
            for (Hotspots.Method m : h.topMethods(ExplainSection.TOP)) {
                out.append("| ").append(Fmt.percent(m.share())).append(" | ").append(m.samples()).append(" | ")
                        .append(md(m.shortMethod())).append(" |\n");
            }
            out.append("\n");
        }
        if (h != null && h.allocatedBytes() > 0) {
            out.append("| allocated | per op | class | site |\n|---:|---:|---|---|\n");
            for (Hotspots.Allocation a : h.topAllocations(ExplainSection.TOP)) {
                out.append("| ").append(Fmt.percent(a.share())).append(" | ")
                        .append(ExplainText.bytes(a.share() * r.perOperation().allocatedBytes())).append(" | ")
                        .append(md(a.objectClass())).append(" | ").append(md(a.shortSite())).append(" |\n");
            }
            out.append("\n");
        }
        out.append("</details>\n\n");
    }

}
