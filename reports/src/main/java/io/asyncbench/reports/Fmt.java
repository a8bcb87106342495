package io.asyncbench.reports;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Numbers the way a reader wants them: three significant digits, thousands separated, units scaled. */
final class Fmt {

    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.US);

    private Fmt() {
    }

    /**
     * "2026-11-25 22:11:44 UTC" for an ISO-8601 instant (metadata.json's nanosecond timestamps
     * are noise to a reader); anything else, or null, as it came.
     */
    static String when(String isoInstant) {
        if (isoInstant == null) {
            return null;
        }
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(isoInstant));
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            return isoInstant;
        }
    }

    /** 123,456 / 12.3 / 1.23 / 0.0123; "n/a" when not finite. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        String pattern;
        if (a >= 100 || a == 0) {
            pattern = "#,##0";
        } else if (a >= 10) {
            pattern = "#,##0.0";
        } else if (a >= 1) {
            pattern = "0.00";
        } else {
            pattern = "0.00##";
            if (a < 0.01) {
                return String.format(Locale.US, "%.3g", v);
            }
        }
        return new DecimalFormat(pattern, SYMBOLS).format(v);
    }

    /** Compact for chart axes and tight cells: 1.2k, 34.5M. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        return new DecimalFormat(Math.abs(v) >= 100 ? "0" : Math.abs(v) >= 10 ? "0.#" : "0.##", SYMBOLS).format(v);
    }

    /** "± 1.2 %"-style relative error. */
    static String percent(double fraction) {
        if (!Double.isFinite(fraction)) {
            return "n/a";
        }
        double p = fraction * 100;
        return new DecimalFormat(p >= 10 ? "0" : "0.0", SYMBOLS).format(p) + " %";
    }

    /** A performance ratio: "1.31×". */
    static String ratio(double r) {
        if (!Double.isFinite(r)) {
            return "—";
        }
        return new DecimalFormat(r >= 10 ? "0" : "0.00", SYMBOLS).format(r) + "×";
    }

    static String bytes(double b) {
        if (!Double.isFinite(b)) {
            return "n/a";
        }
        double a = Math.abs(b);
        if (a >= 1 << 30) {
            return trim(b / (1 << 30)) + " GiB";
        }
        if (a >= 1 << 20) {
            return trim(b / (1 << 20)) + " MiB";
        }
        if (a >= 1 << 10) {
            return trim(b / (1 << 10)) + " KiB";
        }
        return new DecimalFormat("0", SYMBOLS).format(b) + " B";
    }

    /** Microseconds, scaled, three significant digits: 812 µs, 4.10 ms, 1.20 s. */
    static String micros(double us) {
        if (!Double.isFinite(us)) {
            return "n/a";
        }
        if (us >= 1e6) {
            return sig3(us / 1e6) + " s";
        }
        if (us >= 1e3) {
            return sig3(us / 1e3) + " ms";
        }
        return sig3(us) + " µs";
    }

    /** Microseconds for an axis: 50 µs, 1 ms, 20 ms (no trailing zeros). */
    static String microsShort(double us) {
        if (us >= 1e6) {
            return trim(us / 1e6) + " s";
        }
        if (us >= 1e3) {
            return trim(us / 1e3) + " ms";
        }
        return trim(us) + " µs";
    }

    private static String sig3(double v) {
        return new DecimalFormat(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", SYMBOLS).format(v);
    }

    /** An error printed with the same decimals as {@link #num} gives its score: 10.2 ± 0.2, 61,547 ± 1,539. */
    static String errorLike(double error, double score) {
        String s = num(score);
        int dot = s.indexOf('.');
        if (!Double.isFinite(error) || dot < 0 || s.contains("e")) {
            return num(error);
        }
        int decimals = s.length() - dot - 1;
        return new DecimalFormat("#,##0." + "0".repeat(decimals), SYMBOLS).format(error);
    }

    /** A percentile level given as a fraction: 0.999 -> "99.9". */
    static String percentile(double p) {
        return new DecimalFormat("0.#####", SYMBOLS).format(p * 100);
    }
}
