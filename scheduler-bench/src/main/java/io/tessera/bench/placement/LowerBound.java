package io.tessera.bench.placement;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.placement.Reservation;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lower bound on the makespan of a trace that no placement and no queue order can beat.
 *
 * <p>It is the largest of: (1) each run's arrival plus its duration; (2) for every time t and every
 * set S of devices that some run is confined to (the devices it matches, on executors big enough for
 * one of its shards), t plus the device-hours of the runs arriving at or after t that are confined to
 * S, divided by |S|. (2) with S = all devices and t = the first arrival is "total demand ÷ capacity".
 * The bound relaxes everything else: shards may split across devices and pause, so it is valid but
 * not always reachable.
 */
public final class LowerBound {

    private LowerBound() {
    }

    /** The bound on the last end, in hours on the trace's clock. */
    public static double lastEnd(Trace trace) {
        Map<Integer, Integer> offsets = new LinkedHashMap<>();
        List<ExecutorCard> cluster = trace.cluster();
        int next = 0;
        for (int i = 0; i < cluster.size(); i++) {
            offsets.put(i, next);
            next += cluster.get(i).devices().size();
        }
        Map<BitSet, List<SimRun>> confinedTo = new LinkedHashMap<>();
        List<BitSet> eligible = new ArrayList<>();
        for (SimRun run : trace.runs()) {
            BitSet set = new BitSet();
            for (int i = 0; i < cluster.size(); i++) {
                ExecutorCard card = cluster.get(i);
                if (Reservation.shardsWhenDrained(card, run.requirement()) == 0) {
                    continue;
                }
                for (Device device : card.devices()) {
                    if (run.requirement().accepts(device)) {
                        set.set(offsets.get(i) + card.devices().indexOf(device));
                    }
                }
            }
            eligible.add(set);
            confinedTo.putIfAbsent(set, new ArrayList<>());
        }
        for (int r = 0; r < trace.runs().size(); r++) {
            BitSet own = eligible.get(r);
            for (Map.Entry<BitSet, List<SimRun>> entry : confinedTo.entrySet()) {
                BitSet outside = (BitSet) own.clone();
                outside.andNot(entry.getKey());
                if (outside.isEmpty()) {
                    entry.getValue().add(trace.runs().get(r));
                }
            }
        }
        double bound = trace.runs().stream().mapToDouble(run -> run.arrivalHours() + run.durationHours()).max().orElse(0);
        for (Map.Entry<BitSet, List<SimRun>> entry : confinedTo.entrySet()) {
            bound = Math.max(bound, workBound(entry.getValue(), entry.getKey().cardinality()));
        }
        return bound;
    }

    /** Device-hours used by the bound: capacity × (bound on the last end − first arrival). */
    public static double deviceHours(Trace trace) {
        double first = trace.runs().stream().mapToDouble(SimRun::arrivalHours).min().orElse(0);
        return trace.capacity() * (lastEnd(trace) - first);
    }

    private static double workBound(List<SimRun> runs, int devices) {
        List<SimRun> latestFirst = new ArrayList<>(runs);
        latestFirst.sort(Comparator.comparingDouble(SimRun::arrivalHours).reversed());
        double work = 0;
        double bound = 0;
        for (SimRun run : latestFirst) {
            work += run.deviceHours();
            bound = Math.max(bound, run.arrivalHours() + work / devices);
        }
        return bound;
    }
}
