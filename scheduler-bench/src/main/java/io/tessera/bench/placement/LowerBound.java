package io.tessera.bench.placement;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.placement.Reservation;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lower bound on the makespan of a trace that no placement and no queue order can beat.
 *
 * <p>It is the largest of: (1) each run's arrival plus its duration; (2) for every time t and every
 * set S of devices that some run is confined to (the devices it matches, on executors big enough for
 * one of its shards), t plus the device-hours of the runs arriving at or after t that are confined to
 * S, divided by |S|. (2) with S = all devices and t = the first arrival is "total demand ÷ capacity".
 * The bound relaxes everything else: shards may split across devices and pause, so it is valid but
 * not always reachable. (2) for one S is the optimum of the fluid relaxation on S with release times
 * (work arriving at t may be spread over all of S at once). Tighter valid bounds exist: solving
 * all sets together (a flow over time, since the sets overlap) or using that runs cannot pause or
 * split; neither is computed here.
 */
public final class LowerBound {

    private LowerBound() {
    }

    /** Which term of the bound is the largest, and what it is. */
    public record Term(double lastEnd, String what) {
    }

    /** The bound on the last end, in hours on the trace's clock. */
    public static double lastEnd(Trace trace) {
        return binding(trace).lastEnd();
    }

    /** The largest term of the bound, with a sentence saying which it is. */
    public static Term binding(Trace trace) {
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
        Term bound = new Term(0, "no runs");
        for (SimRun run : trace.runs()) {
            if (run.arrivalHours() + run.durationHours() > bound.lastEnd()) {
                bound = new Term(run.arrivalHours() + run.durationHours(), String.format(Locale.ROOT,
                        "one run's arrival + duration: run %d (%d × %d GPU), arrived at %.1f h, lasts %.1f h",
                        run.id(), run.shards(), run.requirement().count(), run.arrivalHours(), run.durationHours()));
            }
        }
        for (Map.Entry<BitSet, List<SimRun>> entry : confinedTo.entrySet()) {
            Term term = workBound(entry.getValue(), entry.getKey().cardinality());
            if (term.lastEnd() > bound.lastEnd()) {
                bound = term;
            }
        }
        return bound;
    }

    /** Device-hours used by the bound: capacity × (bound on the last end − first arrival). */
    public static double deviceHours(Trace trace) {
        double first = trace.runs().stream().mapToDouble(SimRun::arrivalHours).min().orElse(0);
        return trace.capacity() * (lastEnd(trace) - first);
    }

    private static Term workBound(List<SimRun> runs, int devices) {
        List<SimRun> latestFirst = new ArrayList<>(runs);
        latestFirst.sort(Comparator.comparingDouble(SimRun::arrivalHours).reversed());
        double work = 0;
        Term bound = new Term(0, "");
        for (SimRun run : latestFirst) {
            work += run.deviceHours();
            if (run.arrivalHours() + work / devices > bound.lastEnd()) {
                bound = new Term(run.arrivalHours() + work / devices, String.format(Locale.ROOT,
                        "the work confined to %d devices: %,.0f device-hours arriving at or after %.1f h", devices, work,
                        run.arrivalHours()));
            }
        }
        return bound;
    }
}
