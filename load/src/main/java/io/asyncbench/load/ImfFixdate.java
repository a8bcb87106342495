package io.asyncbench.load;

/**
 * Reads an HTTP date in its one preferred form, IMF-fixdate (RFC 9110, 5.6.7):
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}, 29 bytes, in place and without allocating, so that the
 * load generator can check every reply's {@code Date} on its hot path.
 */
final class ImfFixdate {

    /** Bytes of an IMF-fixdate. */
    static final int LENGTH = 29;

    private static final String DAYS = "MonTueWedThuFriSatSun";
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static final int[] DAYS_IN_MONTH = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    /**
     * The second since the epoch that {@code bytes[at, at + 29)} names, or -1 unless it is a valid
     * IMF-fixdate: the right punctuation, a real calendar date, a day name that matches it, GMT.
     */
    static long epochSecond(byte[] bytes, int at) {
        if (at < 0 || bytes.length - at < LENGTH
                || bytes[at + 3] != ',' || bytes[at + 4] != ' ' || bytes[at + 7] != ' '
                || bytes[at + 11] != ' ' || bytes[at + 16] != ' ' || bytes[at + 19] != ':'
                || bytes[at + 22] != ':' || bytes[at + 25] != ' '
                || bytes[at + 26] != 'G' || bytes[at + 27] != 'M' || bytes[at + 28] != 'T') {
            return -1;
        }
        int weekday = indexOf3(DAYS, bytes, at);
        int month = indexOf3(MONTHS, bytes, at + 8);
        int day = digits(bytes, at + 5, 2);
        int year = digits(bytes, at + 12, 4);
        int hour = digits(bytes, at + 17, 2);
        int minute = digits(bytes, at + 20, 2);
        int second = digits(bytes, at + 23, 2);
        if (weekday < 0 || month < 0 || day < 1 || year < 0 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if (day > DAYS_IN_MONTH[month] || (month == 1 && day == 29 && !leap)) {
            return -1;
        }
        long days = daysFromCivil(year, month + 1, day);
        // 1970-01-01 was a Thursday (index 3 from Monday).
        if (Math.floorMod(days + 3, 7) != weekday) {
            return -1;
        }
        return days * 86_400 + hour * 3_600L + minute * 60L + second;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    private static int indexOf3(String names, byte[] bytes, int at) {
        for (int i = 0; i < names.length(); i += 3) {
            if (names.charAt(i) == bytes[at] && names.charAt(i + 1) == bytes[at + 1]
                    && names.charAt(i + 2) == bytes[at + 2]) {
                return i / 3;
            }
        }
        return -1;
    }

    private static int digits(byte[] bytes, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return -1;
            }
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    private ImfFixdate() {
    }
}
