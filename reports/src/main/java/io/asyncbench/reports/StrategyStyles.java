package io.asyncbench.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One colour, marker and line style per strategy, fixed for the whole report: a strategy looks the
 * same in every chart and table. A strategy keeps the colour it declares ({@link Lineup}) across
 * reports too; one that declares none gets one of the spare colours.
 */
final class StrategyStyles {

    /** For strategies that declare no colour (older folders, a server a user brought): distinct from the shipped ones. */
    private static final List<Color> EXTRA = List.of(new Color(0x000000), new Color(0x8B4513),
            new Color(0x6A3D9A), new Color(0xB15928), new Color(0x1B7837), new Color(0x762A83));

    private final Map<String, Color> colors = new LinkedHashMap<>();
    private final Lineup lineup;

    StrategyStyles(Collection<String> strategies, Lineup lineup) {
        this.lineup = lineup;
        int extra = 0;
        var sorted = new TreeSet<>(lineup.order());
        sorted.addAll(strategies);
        for (String id : sorted) {
            var declared = lineup.colour(id);
            colors.put(id, declared.isPresent() ? declared.get() : EXTRA.get(extra++ % EXTRA.size()));
        }
    }

    /** The facts of this report's strategies. */
    Lineup lineup() {
        return lineup;
    }

    /** Declared order, then by name. */
    Comparator<String> order() {
        return lineup.order();
    }

    List<String> strategies() {
        return List.copyOf(colors.keySet());
    }

    Color color(String id) {
        String plain = id.endsWith(REFERENCE_MARK) ? id.substring(0, id.length() - REFERENCE_MARK.length()) : id;
        return colors.getOrDefault(plain, Color.DARK_GRAY);
    }

    String hex(String id) {
        Color c = color(id);
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** What the legend calls a strategy: reference servers are marked as such. */
    String label(String id) {
        return lineup.isReference(id) ? id + REFERENCE_MARK : id;
    }

    /** The legend's mark of a reference row. */
    static final String REFERENCE_MARK = " (reference)";

    /** A baseline (platform threads, which virtual threads replace) draws dashed; references dash-dotted. */
    Stroke stroke(String id) {
        if (lineup.isReference(id)) {
            return new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {9f, 3f, 2f, 3f}, 0f);
        }
        if (lineup.dashed(id)) {
            return new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 4f}, 0f);
        }
        return new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** A different marker per strategy, so lines stay apart in grey print as well. */
    Shape shape(String id) {
        int i = Math.max(0, strategies().indexOf(id));
        double s = 7;
        return switch (i % 5) {
            case 0 -> new Ellipse2D.Double(-s / 2, -s / 2, s, s);
            case 1 -> new Rectangle2D.Double(-s / 2, -s / 2, s, s);
            case 2 -> triangle(s);
            case 3 -> diamond(s);
            default -> new Rectangle2D.Double(-s / 2, -s / 4, s, s / 2);
        };
    }

    private static Shape triangle(double s) {
        Path2D p = new Path2D.Double();
        p.moveTo(0, -s / 2);
        p.lineTo(s / 2, s / 2);
        p.lineTo(-s / 2, s / 2);
        p.closePath();
        return p;
    }

    private static Shape diamond(double s) {
        Path2D p = new Path2D.Double();
        p.moveTo(0, -s / 1.6);
        p.lineTo(s / 1.6, 0);
        p.lineTo(0, s / 1.6);
        p.lineTo(-s / 1.6, 0);
        p.closePath();
        return p;
    }
}
