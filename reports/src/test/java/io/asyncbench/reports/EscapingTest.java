package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strings from the results are text in every output: a {@code <script>} parameter shows as text. */
class EscapingTest {

    @TempDir
    Path tmp;

    @Test
    void htmlShowsMarkupFromTheResultsAsText() throws Exception {
        GeneratedReport r = generateMalicious();
        String html = Files.readString(r.index());

        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                .doesNotContain("<b>event</b>", "</dd><script>");
        assertThat(html).contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;")
                .contains("AMD EPYC &lt;img src=x onerror=alert(1)&gt;")
                .contains("an &lt;b&gt;event&lt;/b&gt; loop");
    }

    @Test
    void theNotesBesideAVerdictEscapeTheSettingTheyName() throws Exception {
        GeneratedReport r = generateMalicious();
        // The http load generator is busiest at the endpoint that carries the script: the note names that setting.
        String http = ReportGeneratorTest.section(Files.readString(r.index()), "http");
        int from = http.indexOf("<p class=\"note\">Client-bound");
        String note = http.substring(from, http.indexOf("</p>", from));
        assertThat(note).contains("endpoint=&lt;script&gt;window.__pwned=1&lt;/script&gt;").doesNotContain("<script");

        String md = Files.readString(r.markdown());
        assertThat(md.lines().filter(l -> l.startsWith("> **Note:** Client-bound") && l.contains("endpoint=")))
                .anySatisfy(l -> assertThat(l).contains("&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;"));
    }

    @Test
    void chartsEscapeLabelsFromTheResults() throws Exception {
        GeneratedReport r = generateMalicious();
        for (Path svg : r.charts()) {
            assertThat(Files.readString(svg)).as(svg.getFileName().toString()).doesNotContainIgnoringCase("<script");
        }
        assertThat(r.charts().stream().map(this::read)).anyMatch(s -> s.contains("&lt;script&gt;"));
    }

    @Test
    void markdownShowsMarkupAsText() throws Exception {
        GeneratedReport r = generateMalicious();
        String md = Files.readString(r.markdown());
        assertThat(md).doesNotContainIgnoringCase("<script").doesNotContain("<img");
        assertThat(md).contains("&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;");
        assertThat(MarkdownReport.md("a|b")).isEqualTo("a\\|b");
    }

    @Test
    void csvQuotesAndDefusesFormulas() throws Exception {
        GeneratedReport r = generateMalicious();
        assertThat(Files.readString(r.csv())).contains(SyntheticResults.EVIL);
        assertThat(CsvReport.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvReport.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvReport.field("=HYPERLINK(\"x\")")).startsWith("\"'=");
        assertThat(CsvReport.field("-12.5")).isEqualTo("-12.5");
    }

    @Test
    void escapesEveryHtmlSpecialCharacter() {
        assertThat(Html.esc("<a href=\"x\" title='y'>&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    }

    private GeneratedReport generateMalicious() throws Exception {
        Path results = SyntheticResults.realistic(5).malicious().writeTo(tmp.resolve("results"));
        return ReportGenerator.generate(results, Optional.empty(), tmp.resolve("out"));
    }

    private String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
