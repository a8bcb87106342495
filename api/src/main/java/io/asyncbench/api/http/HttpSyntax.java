package io.asyncbench.api.http;

/**
 * The rules of this subset for a request-target and a Host value (the package documentation,
 * "Request syntax"), written once over {@link CharSequence} so that both kinds of request head go
 * through the same code: {@link HttpRequestParser} hands a view of its byte buffer, Netty's handler
 * the strings its codec made. Nothing here allocates.
 */
public final class HttpSyntax {

    private static final String HTTP_SCHEME = "http://";
    private static final int MAX_QUERY_DIGITS = 9;
    private static final Endpoint[] ENDPOINTS = Endpoint.values();
    /** RFC 3986 unreserved, sub-delims, ':' and the brackets of an IP literal, as a table: this is
     *  tested for every byte of every request's Host value. */
    private static final boolean[] HOST_CHARS = new boolean[128];

    static {
        for (char c = '0'; c <= 'z'; c++) {
            HOST_CHARS[c] = Character.isLetterOrDigit(c);
        }
        for (char c : "-._~!$&'()*+,;=:[]".toCharArray()) {
            HOST_CHARS[c] = true;
        }
    }

    /**
     * The endpoint a request-target names ({@link Endpoint#UNKNOWN} for any other path): origin-form
     * {@code /path[?query]} or absolute-form {@code http://host[:port][/path][?query]}, its path
     * matched after decoding percent-escapes.
     *
     * @throws HttpException 400 for another form, a byte outside visible US-ASCII, a '%' not followed
     *                       by two hex digits, or an absolute-form authority that is empty or not a host
     */
    public static Endpoint endpoint(CharSequence target) throws HttpException {
        int length = target.length();
        int query = length;
        boolean escaped = false;
        for (int i = 0; i < length; i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw bad("request target must be visible US-ASCII");
            }
            if (c == '%') {
                checkEscape(target, i, length);
                escaped = true;
            } else if (c == '?' && query == length) {
                query = i;
            }
        }
        int path = pathStart(target, query);
        for (Endpoint endpoint : ENDPOINTS) {
            if (endpoint != Endpoint.UNKNOWN && decodedEquals(target, path, query, endpoint.path(), escaped)) {
                return endpoint;
            }
        }
        return Endpoint.UNKNOWN;
    }

    /**
     * The decimal value of query parameter {@code name} of a target {@link #endpoint} accepted:
     * pairs are separated by '&amp;', names and values percent-decoded, the last pair of that name
     * counts, and its value must be 1 to 9 digits.
     *
     * @throws HttpException 400 when the parameter is missing, malformed or outside [min, max]
     */
    public static int queryParameter(CharSequence target, String name, int min, int max) throws HttpException {
        int length = target.length();
        int value = -1;
        int pair = indexOf(target, '?', 0, length) + 1;
        while (pair > 0 && pair <= length) {
            int pairEnd = indexOf(target, '&', pair, length);
            pairEnd = pairEnd < 0 ? length : pairEnd;
            int eq = indexOf(target, '=', pair, pairEnd);
            if (eq >= 0 && decodedEquals(target, pair, eq, name, true)) {
                value = decodedDigits(target, eq + 1, pairEnd, name);
            }
            pair = pairEnd + 1;
        }
        if (value < min || value > max) {
            throw bad("query parameter " + name + " must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * True for a valid Host value: empty, or {@code uri-host [ ":" port ]} characters (RFC 9110
     * section 7.2: letters, digits, {@code -._~!$&'()*+,;=:[]}, and percent-escapes).
     */
    public static boolean isValidHost(CharSequence value) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= length || hex(value.charAt(i + 1)) < 0 || hex(value.charAt(i + 2)) < 0) {
                    return false;
                }
            } else if (!isHostChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** Where the path of a target starts (its authority checked); the path may be empty. */
    private static int pathStart(CharSequence target, int query) throws HttpException {
        if (query > 0 && target.charAt(0) == '/') {
            return 0;
        }
        if (!startsWithIgnoreCase(target, HTTP_SCHEME)) {
            throw bad("request target must be origin-form (/path) or absolute-form (http://host/path)");
        }
        int authority = HTTP_SCHEME.length();
        int end = authority;
        while (end < query && target.charAt(end) != '/') {
            // No '@': RFC 9110 section 4.2.4 has a recipient treat userinfo in an http URI as an error.
            if (!isHostChar(target.charAt(end)) && target.charAt(end) != '%') {
                throw bad("absolute-form target with an authority that is not host[:port]");
            }
            end++;
        }
        if (end == authority) {
            throw bad("absolute-form target without a host");
        }
        return end;
    }

    private static void checkEscape(CharSequence text, int percent, int length) throws HttpException {
        if (percent + 2 >= length || hex(text.charAt(percent + 1)) < 0 || hex(text.charAt(percent + 2)) < 0) {
            throw bad("'%' in the request target must start a percent-escape of two hex digits");
        }
    }

    /** Whether text[from, to), percent-decoded when {@code escaped}, equals {@code expected}. */
    private static boolean decodedEquals(CharSequence text, int from, int to, String expected, boolean escaped) {
        if (!escaped) {
            if (to - from != expected.length()) {
                return false;
            }
            for (int i = from; i < to; i++) {
                if (text.charAt(i) != expected.charAt(i - from)) {
                    return false;
                }
            }
            return true;
        }
        int matched = 0;
        int i = from;
        while (i < to) {
            if (matched == expected.length()) {
                return false;
            }
            int c = text.charAt(i);
            if (c == '%' && i + 2 < to) {
                c = hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2));
                i += 3;
            } else {
                i++;
            }
            if (c != expected.charAt(matched++)) {
                return false;
            }
        }
        return matched == expected.length();
    }

    private static int decodedDigits(CharSequence text, int from, int to, String name) throws HttpException {
        int value = 0;
        int digits = 0;
        int i = from;
        while (i < to) {
            int c = text.charAt(i);
            if (c == '%' && i + 2 < to) {
                c = hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2));
                i += 3;
            } else {
                i++;
            }
            if (c < '0' || c > '9' || ++digits > MAX_QUERY_DIGITS) {
                throw bad("malformed query parameter " + name);
            }
            value = value * 10 + (c - '0');
        }
        if (digits == 0) {
            throw bad("malformed query parameter " + name);
        }
        return value;
    }

    private static boolean startsWithIgnoreCase(CharSequence text, String lowerCasePrefix) {
        if (text.length() < lowerCasePrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerCasePrefix.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lowerCasePrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The value of a hex digit, or -1. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isHostChar(char c) {
        return c < HOST_CHARS.length && HOST_CHARS[c];
    }

    private static HttpException bad(String detail) {
        return new HttpException(HttpStatus.BAD_REQUEST, detail);
    }

    private HttpSyntax() {
    }
}
