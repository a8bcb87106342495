package io.asyncbench.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text HdrHistogram's {@code outputPercentileDistribution} prints: a header, rows of
 * {@code Value Percentile TotalCount 1/(1-Percentile)} (the last row has no fourth column, or
 * "Infinity"), and a footer {@code #[Mean = ..., StdDeviation = ...]} / {@code #[Max = ..., Total count = ...]}.
 * The CSV variant (comma-separated, no footer) is read too.
 */
final class HgrmParser {

    private static final Pattern MEAN = Pattern.compile(
            "#\\[Mean\\s*=\\s*([-+0-9.eE]+|NaN),\\s*StdDeviation\\s*=\\s*([-+0-9.eE]+|NaN)]");
    private static final Pattern MAX = Pattern.compile(
            "#\\[Max\\s*=\\s*([-+0-9.eE]+),\\s*Total count\\s*=\\s*([0-9]+)]");

    private HgrmParser() {
    }

    static LatencyRun.Histogram parse(Path file) throws ReportException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ReportException(file, "cannot read: " + e, e);
        }
        if (lines.stream().allMatch(String::isBlank)) {
            throw new ReportException(file, "empty file (was the run interrupted?)");
        }
        List<LatencyRun.Point> points = new ArrayList<>();
        double mean = Double.NaN;
        double std = Double.NaN;
        double max = Double.NaN;
        long total = -1;
        boolean csv = false;
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (csv || line.startsWith("\"Value\"")) {
                line = line.replace("\"", "");
            }
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher m = MEAN.matcher(line);
                if (m.find()) {
                    mean = Double.parseDouble(m.group(1));
                    std = Double.parseDouble(m.group(2));
                }
                m = MAX.matcher(line);
                if (m.find()) {
                    max = Double.parseDouble(m.group(1));
                    total = Long.parseLong(m.group(2));
                }
                continue;
            }
            if (line.startsWith("Value")) {
                header = true;
                csv = line.startsWith("Value,");
                continue;
            }
            if (!header) {
                throw new ReportException(file, "line " + lineNo + ": expected the header \"Value Percentile TotalCount"
                        + " 1/(1-Percentile)\" before any row, found \"" + clip(line) + "\"");
            }
            String[] cols = csv ? line.split(",") : line.split("\\s+");
            if (cols.length < 3 || cols.length > 4) {
                throw new ReportException(file, "line " + lineNo + ": expected 4 columns (Value Percentile TotalCount"
                        + " 1/(1-Percentile)), found \"" + clip(line) + "\"");
            }
            double value;
            double percentile;
            long count;
            try {
                value = Double.parseDouble(cols[0]);
                percentile = Double.parseDouble(cols[1]);
                count = Long.parseLong(cols[2]);
            } catch (NumberFormatException e) {
                throw new ReportException(file, "line " + lineNo + ": not a number in \"" + clip(line) + "\"", e);
            }
            if (!(percentile >= 0 && percentile <= 1) || !(value >= 0) || count < 0) {
                throw new ReportException(file, "line " + lineNo + ": percentile must be in 0..1 and value and count"
                        + " at least 0, found \"" + clip(line) + "\"");
            }
            if (!points.isEmpty()) {
                var last = points.get(points.size() - 1);
                if (percentile < last.percentile() || value < last.value() || count < last.totalCount()) {
                    throw new ReportException(file, "line " + lineNo + ": rows must not go down (percentile, value"
                            + " and count only grow), found \"" + clip(line) + "\"");
                }
            }
            points.add(new LatencyRun.Point(value, percentile, count));
        }
        if (points.isEmpty()) {
            throw new ReportException(file, "no percentile rows (expected \"Value Percentile TotalCount"
                    + " 1/(1-Percentile)\" and rows below it)");
        }
        if (!csv && (Double.isNaN(mean) || total < 0)) {
            throw new ReportException(file, "no \"#[Mean = ...]\" and \"#[Max = ..., Total count = ...]\" footer:"
                    + " the file looks truncated");
        }
        var last = points.get(points.size() - 1);
        if (total < 0) {
            total = last.totalCount();
            max = last.value();
        }
        return new LatencyRun.Histogram(List.copyOf(points), mean, std, max, total);
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
