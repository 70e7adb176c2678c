package io.tessera.bench.placement;

/** The report's reading of its numbers, written after looking at them. */
final class Analysis {

    static final String TEXT = "";

    private Analysis() {
    }
}
