package io.asyncbench.conformance;

/** A message size that prints the way people write it: {@code 1 B}, {@code 64 KiB}, {@code 1 MiB}. */
record Size(int bytes) {

    static Size of(int bytes) {
        return new Size(bytes);
    }

    @Override
    public String toString() {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
