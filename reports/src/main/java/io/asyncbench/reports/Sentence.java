package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * A sentence of a generated verdict, kept as parts so each output format can style strategy names
 * and numbers its own way (and escape the rest).
 */
record Sentence(List<Part> parts) {

    sealed interface Part permits Text, Strategy, Number {
    }

    record Text(String text) implements Part {
    }

    /** A strategy id: a coloured chip in HTML, bold in Markdown. */
    record Strategy(String id) implements Part {
    }

    /** A number worth seeing at a glance. */
    record Number(String text) implements Part {
    }

    String plain() {
        var sb = new StringBuilder();
        for (Part p : parts) {
            sb.append(switch (p) {
                case Text t -> t.text();
                case Strategy s -> s.id();
                case Number n -> n.text();
            });
        }
        return sb.toString();
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final List<Part> parts = new ArrayList<>();

        Builder text(String s) {
            parts.add(new Text(s));
            return this;
        }

        Builder strategy(String id) {
            parts.add(new Strategy(id));
            return this;
        }

        Builder number(String s) {
            parts.add(new Number(s));
            return this;
        }

        Sentence build() {
            return new Sentence(List.copyOf(parts));
        }
    }
}
