package io.asyncbench.reports;

/**
 * Escaping for HTML text and attribute values (every string from a results folder goes through
 * here), and the strategy chip every table shows.
 */
final class Html {

    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A strategy's name in its colour. */
    static String chip(StrategyStyles styles, String strategy) {
        return "<span class=\"chip\" style=\"--c:" + styles.hex(strategy) + "\">" + esc(strategy) + "</span>";
    }
}
