package io.tessera.bench.placement;

import io.tessera.core.model.ExecutorCard;

import java.util.List;

/** A cluster and the runs that arrive at it, with a sentence on where its shape comes from. */
public record Trace(String name, String description, List<ExecutorCard> cluster, List<SimRun> runs) {

    public static final String GROUP = "default";

    public Trace {
        cluster = List.copyOf(cluster);
        runs = List.copyOf(runs);
    }

    public int capacity() {
        return cluster.stream().mapToInt(card -> card.devices().size()).sum();
    }
}
