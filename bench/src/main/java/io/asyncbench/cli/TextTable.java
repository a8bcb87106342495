package io.asyncbench.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: text left-aligned, numbers right-aligned, each column as wide as its widest
 * cell, two spaces between columns and no trailing blanks. Either collect rows and {@link #print}
 * them, or {@link #widen} the columns up front and print {@link #headerLine} and {@link #line}s as
 * results come in.
 */
final class TextTable {

    enum Align { LEFT, RIGHT }

    record Column(String header, Align align) {
    }

    private static final String GAP = "  ";

    private final List<Column> columns;
    private final int[] widths;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(Column... columns) {
        this.columns = List.of(columns);
        this.widths = Arrays.stream(columns).mapToInt(c -> c.header().length()).toArray();
    }

    static Column left(String header) {
        return new Column(header, Align.LEFT);
    }

    static Column right(String header) {
        return new Column(header, Align.RIGHT);
    }

    /** Makes a column at least {@code width} characters wide. */
    TextTable widen(int column, int width) {
        widths[column] = Math.max(widths[column], width);
        return this;
    }

    /** Adds a row for {@link #print}; cells are rendered with {@link String#valueOf(Object)}. */
    TextTable row(Object... cells) {
        String[] text = cells(cells);
        for (int i = 0; i < text.length; i++) {
            widen(i, text[i].length());
        }
        rows.add(text);
        return this;
    }

    /** The header and every row added so far. */
    void print(PrintWriter out) {
        out.println(headerLine());
        for (String[] row : rows) {
            out.println(format(row));
        }
    }

    String headerLine() {
        return format(columns.stream().map(Column::header).toArray(String[]::new));
    }

    /** One row formatted with the current widths (a cell wider than its column shifts the rest). */
    String line(Object... cells) {
        return format(cells(cells));
    }

    private String[] cells(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells, got "
                    + cells.length);
        }
        return Arrays.stream(cells).map(String::valueOf).toArray(String[]::new);
    }

    private String format(String[] cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean last = i == cells.length - 1;
            String padding = " ".repeat(Math.max(0, widths[i] - cells[i].length()));
            if (i > 0) {
                line.append(GAP);
            }
            if (columns.get(i).align() == Align.RIGHT) {
                line.append(padding).append(cells[i]);
            } else {
                line.append(cells[i]).append(last ? "" : padding);
            }
        }
        return line.toString();
    }
}
