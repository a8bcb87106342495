package io.asyncbench.reports;

import java.nio.file.Path;
import java.util.List;

/**
 * The files one call to {@link ReportGenerator#generate} wrote.
 *
 * @param index    index.html, the self-contained page to open in a browser
 * @param markdown report.md, the same tables in Markdown
 * @param csv      summary.csv, one row per benchmark × strategy × parameters
 * @param charts   the SVG charts beside report.md
 */
public record GeneratedReport(Path index, Path markdown, Path csv, List<Path> charts) {
}
