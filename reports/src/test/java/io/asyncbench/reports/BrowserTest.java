package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * index.html in a real browser: headless Chromium (Debian's chromium package; .ci/run installs it)
 * loads the page from disk, with no console error, no uncaught exception and no request leaving the
 * file; the charts are there and drawn; a script hidden in the results stays text. The screenshot is
 * kept at reports/target/report-screenshot.png (the top 1400 × 2400 px) and
 * report-screenshot-full.png (the whole page), for a human to look at.
 *
 * <p>Without chromium the test is skipped and says why, so a developer without it still builds; in
 * CI (CI=true) a missing chromium is a failure, since .ci/run installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {

    static final int WIDTH = 1400;
    static final int HEIGHT = 2400;

    private Path chromium;
    private Path target;

    @BeforeEach
    void findChromium() {
        Optional<Path> found = DevTools.findChromium();
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("chromium is not installed, but CI must run the browser test (.ci/run installs"
                    + " Debian's chromium package)");
        }
        Assumptions.assumeTrue(found.isPresent(), "chromium not found on the PATH (nor $ASYNCBENCH_CHROMIUM):"
                + " install Debian's chromium package to run the browser test");
        chromium = found.get();
        target = Path.of(System.getProperty("asyncbench.reports.target", "target"));
    }

    @Test
    void reportLoadsWithoutErrorsAndShowsItsCharts() throws Exception {
        Path results = SyntheticResults.realistic(7).writeTo(target.resolve("sample-results"));
        GeneratedReport report = ReportGenerator.generate(results, Optional.empty(), target.resolve("sample-report"));

        try (DevTools browser = DevTools.launch(chromium, WIDTH, HEIGHT)) {
            browser.openTab(WIDTH, HEIGHT);
            browser.navigate(report.index().toAbsolutePath().toUri().toString());

            JsonNode page = browser.evaluate("""
                    (() => {
                      const svgs = [...document.querySelectorAll('figure.chart svg')];
                      return {
                        title: document.title,
                        charts: svgs.length,
                        drawn: svgs.filter(s => s.getBoundingClientRect().width > 300
                                             && s.querySelectorAll('path, rect, line, polyline').length > 10).length,
                        sections: document.querySelectorAll('section.workload').length,
                        tables: document.querySelectorAll('table.results').length,
                        verdicts: document.querySelectorAll('.verdict li').length,
                        code: document.querySelectorAll('.code-col pre').length,
                        cpuColumns: [...document.querySelectorAll('table.results th')]
                            .filter(th => th.textContent.startsWith('server CPU/op')).length,
                        cpuCharts: [...document.querySelectorAll('figure.chart')]
                            .filter(f => f.getAttribute('aria-label').includes('server CPU per')).length,
                        notes: document.querySelectorAll('.notes .note').length,
                        saturated: document.querySelectorAll('td .hot').length,
                        fairnessCharts: document.querySelectorAll('#fairness figure.chart svg').length,
                        fairnessRows: document.querySelectorAll('#fairness table.results tbody tr').length,
                        starves: document.querySelectorAll('#fairness .badge.bad').length,
                        fairnessTop: Math.round(document.querySelector('#fairness').getBoundingClientRect().top + window.scrollY),
                        fairnessHeight: Math.round(document.querySelector('#fairness').getBoundingClientRect().height),
                        width: document.documentElement.scrollWidth
                      };
                    })()""");
            Files.write(target.resolve("report-screenshot.png"), browser.screenshot(WIDTH, HEIGHT));
            Files.write(target.resolve("report-screenshot-full.png"), browser.screenshot(WIDTH, 100_000));
            Files.write(target.resolve("report-screenshot-fairness.png"), browser.screenshot(WIDTH,
                    page.get("fairnessTop").asInt(), page.get("fairnessHeight").asInt()));

            assertThat(browser.errors()).as("console errors and exceptions").isEmpty();
            assertThat(browser.requests()).as("requests other than the file itself")
                    .allSatisfy(url -> assertThat(url).startsWith("file:"));
            assertThat(page.get("title").asText()).startsWith("asyncbench report");
            assertThat(page.get("charts").asInt()).isEqualTo(report.charts().size()).isGreaterThan(5);
            assertThat(page.get("drawn").asInt()).as("charts drawn at a readable size").isEqualTo(page.get("charts").asInt());
            assertThat(page.get("sections").asInt()).isEqualTo(5);
            assertThat(page.get("tables").asInt()).isGreaterThanOrEqualTo(7);
            assertThat(page.get("verdicts").asInt()).isGreaterThanOrEqualTo(5);
            assertThat(page.get("cpuColumns").asInt()).as("server CPU/op in every server workload's table")
                    .isEqualTo(5);
            assertThat(page.get("cpuCharts").asInt())
                    .as("one CPU chart per server workload, and one at equal rates per common ladder (echo's)")
                    .isEqualTo(5);
            assertThat(page.get("notes").asInt()).as("load generator and noise notes").isGreaterThanOrEqualTo(4);
            assertThat(page.get("saturated").asInt()).as("saturated load generator cells are marked").isPositive();
            assertThat(page.get("width").asInt()).as("nothing wider than the window").isLessThanOrEqualTo(WIDTH);
            assertThat(page.get("fairnessCharts").asInt()).as("the fairness chart").isEqualTo(1);
            assertThat(page.get("fairnessRows").asInt()).as("one row per strategy").isEqualTo(SyntheticResults.STRATEGIES.size());
            assertThat(page.get("starves").asInt()).as("platform-threads marked as starving").isEqualTo(1);
        }
    }

    @Test
    void scriptsInTheResultsStayText() throws Exception {
        Path before = SyntheticResults.realistic(8).malicious().writeTo(target.resolve("malicious-baseline"));
        Path results = SyntheticResults.realistic(9).malicious().writeTo(target.resolve("malicious-results"));
        GeneratedReport report = ReportGenerator.generate(results, Optional.of(before), target.resolve("malicious-report"));

        try (DevTools browser = DevTools.launch(chromium, WIDTH, HEIGHT)) {
            browser.openTab(WIDTH, HEIGHT);
            browser.navigate(report.index().toAbsolutePath().toUri().toString());

            JsonNode page = browser.evaluate("""
                    ({
                      pwned: typeof window.__pwned,
                      scripts: document.scripts.length,
                      images: document.images.length,
                      shown: document.body.innerText.includes('<script>window.__pwned=1</script>'),
                      meta: document.body.innerText.includes('<img src=x onerror=alert(1)>')
                    })""");

            assertThat(browser.errors()).isEmpty();
            assertThat(page.get("pwned").asText()).isEqualTo("undefined");
            assertThat(page.get("scripts").asInt()).isZero();
            assertThat(page.get("images").asInt()).isZero();
            assertThat(page.get("shown").asBoolean()).as("the parameter value is shown as text").isTrue();
            assertThat(page.get("meta").asBoolean()).as("the metadata is shown as text").isTrue();
        }
    }
}
