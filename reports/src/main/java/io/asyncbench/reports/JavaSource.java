package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of Java's lexical structure to count lines of code (non-blank, non-comment) and to
 * shade comments, strings and keywords in the side-by-side view. Kotlin's comments and string
 * literals are lexed the same way; only its keywords differ.
 */
final class JavaSource {

    enum Kind { CODE, COMMENT, STRING }

    record Token(Kind kind, String text) {
    }

    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "var", "record", "yield", "sealed", "permits", "non-sealed", "true",
            "false", "null");

    /** Kotlin's hard keywords and the soft and modifier ones a reader looks for. */
    private static final Set<String> KOTLIN_KEYWORDS = Set.of("as", "break", "class", "continue", "do", "else",
            "false", "for", "fun", "if", "in", "interface", "is", "null", "object", "package", "return", "super",
            "this", "throw", "true", "try", "typealias", "val", "var", "when", "while", "by", "catch",
            "constructor", "finally", "import", "init", "where", "abstract", "companion", "const", "data", "enum",
            "inline", "internal", "lateinit", "open", "operator", "override", "private", "protected", "public",
            "sealed", "suspend", "vararg");

    private static final Pattern WORD = Pattern.compile("@?[A-Za-z_$][A-Za-z0-9_$]*");

    private JavaSource() {
    }

    static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        int codeStart = 0;
        while (i < n) {
            char c = s.charAt(i);
            int end = -1;
            Kind kind = null;
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                end = s.indexOf('\n', i);
                end = end < 0 ? n : end;
                kind = Kind.COMMENT;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                kind = Kind.COMMENT;
            } else if (s.startsWith("\"\"\"", i)) {
                end = closing(s, i + 3, "\"\"\"", false);
                kind = Kind.STRING;
            } else if (c == '"') {
                end = closing(s, i + 1, "\"", true);
                kind = Kind.STRING;
            } else if (c == '\'') {
                end = closing(s, i + 1, "'", true);
                kind = Kind.STRING;
            }
            if (kind == null) {
                i++;
                continue;
            }
            if (codeStart < i) {
                out.add(new Token(Kind.CODE, s.substring(codeStart, i)));
            }
            out.add(new Token(kind, s.substring(i, end)));
            i = end;
            codeStart = end;
        }
        if (codeStart < n) {
            out.add(new Token(Kind.CODE, s.substring(codeStart)));
        }
        return out;
    }

    /** The index just past the closing delimiter (or the line's end for an unclosed one-line literal). */
    private static int closing(String s, int from, String delimiter, boolean oneLine) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (oneLine && c == '\n') {
                return i;
            }
            if (s.startsWith(delimiter, i)) {
                return i + delimiter.length();
            }
            i++;
        }
        return s.length();
    }

    /** Lines holding anything but white space and comments. */
    static int linesOfCode(String source) {
        int count = 0;
        boolean code = false;
        for (Token t : lex(source)) {
            String text = t.text();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    count += code ? 1 : 0;
                    code = false;
                } else if (t.kind() != Kind.COMMENT && !Character.isWhitespace(c)) {
                    code = true;
                }
            }
        }
        return count + (code ? 1 : 0);
    }

    /** Whether {@code fileName} is a Kotlin source ({@code .kt}). */
    static boolean isKotlin(String fileName) {
        return fileName.endsWith(".kt");
    }

    /** The Java source as escaped HTML, with spans for comments (cm), strings (st), keywords (kw) and annotations (an). */
    static String highlight(String source) {
        return highlight(source, KEYWORDS);
    }

    /** {@link #highlight(String)} with the keywords of the language {@code fileName} is written in. */
    static String highlight(String source, String fileName) {
        return highlight(source, isKotlin(fileName) ? KOTLIN_KEYWORDS : KEYWORDS);
    }

    private static String highlight(String source, Set<String> keywords) {
        StringBuilder sb = new StringBuilder();
        for (Token t : lex(source)) {
            switch (t.kind()) {
                case COMMENT -> sb.append("<span class=\"cm\">").append(Html.esc(t.text())).append("</span>");
                case STRING -> sb.append("<span class=\"st\">").append(Html.esc(t.text())).append("</span>");
                case CODE -> {
                    Matcher m = WORD.matcher(t.text());
                    int last = 0;
                    while (m.find()) {
                        String w = m.group();
                        String cls = w.startsWith("@") ? "an" : keywords.contains(w) ? "kw" : null;
                        if (cls == null) {
                            continue;
                        }
                        sb.append(Html.esc(t.text().substring(last, m.start())));
                        sb.append("<span class=\"").append(cls).append("\">").append(Html.esc(w)).append("</span>");
                        last = m.end();
                    }
                    sb.append(Html.esc(t.text().substring(last)));
                }
                default -> throw new IllegalStateException();
            }
        }
        return sb.toString();
    }
}
