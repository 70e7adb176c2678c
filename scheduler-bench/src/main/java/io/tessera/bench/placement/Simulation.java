package io.tessera.bench.placement;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.placement.PlacementRequest;
import io.tessera.core.placement.PlacementResult;
import io.tessera.core.placement.Reservation;
import io.tessera.core.placement.ShardPlacement;
import io.tessera.core.model.RoutingStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * A discrete-event simulation of one trace under one policy and one queue discipline. Events are
 * arrivals and completions in time order (completions first at equal times); after the events of
 * each instant the wait queue is walked and every run it reaches is offered to the policy.
 */
public final class Simulation {

    private static final Comparator<SimRun> QUEUE_ORDER = Comparator.comparingInt((SimRun run) -> -run.priority())
            .thenComparingDouble(SimRun::arrivalHours)
            .thenComparingInt(SimRun::id);

    private final Trace trace;
    private final Policy policy;
    private final Queueing queueing;
    private final ClusterState state;
    private final TreeSet<SimRun> waiting = new TreeSet<>(QUEUE_ORDER);
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<Integer, List<ShardPlacement>> placements = new HashMap<>();
    private final double[] starts;
    private final String[] shapes;
    private final int distinctShapes;
    private double wholeMachineWaitHours;
    private double fragmentedExecutorHours;
    private double idleWhileWaitingDeviceHours;

    private record Event(double time, int order, SimRun run) implements Comparable<Event> {
        static final int COMPLETION = 0;
        static final int ARRIVAL = 1;

        @Override
        public int compareTo(Event other) {
            int byTime = Double.compare(time, other.time);
            if (byTime != 0) {
                return byTime;
            }
            return order != other.order ? Integer.compare(order, other.order) : Integer.compare(run.id(), other.run.id());
        }
    }

    private Simulation(Trace trace, Policy policy, Queueing queueing) {
        this.trace = trace;
        this.policy = policy;
        this.queueing = queueing;
        this.state = new ClusterState(trace.cluster());
        this.starts = new double[trace.runs().size()];
        Arrays.fill(starts, Double.NaN);
        this.shapes = new String[trace.runs().size()];
        for (SimRun run : trace.runs()) {
            if (run.id() < 0 || run.id() >= starts.length) {
                throw new IllegalArgumentException("run ids must be 0.." + (starts.length - 1) + ", was " + run.id());
            }
            shapes[run.id()] = run.shards() + "×" + run.requirement();
        }
        this.distinctShapes = (int) Arrays.stream(shapes).distinct().count();
    }

    public static SimOutcome run(Trace trace, Policy policy, Queueing queueing) {
        return new Simulation(trace, policy, queueing).simulate();
    }

    private SimOutcome simulate() {
        for (SimRun run : trace.runs()) {
            events.add(new Event(run.arrivalHours(), Event.ARRIVAL, run));
        }
        while (!events.isEmpty()) {
            double now = events.peek().time();
            while (!events.isEmpty() && events.peek().time() == now) {
                Event event = events.poll();
                if (event.order() == Event.COMPLETION) {
                    state.release(placements.remove(event.run().id()));
                } else {
                    waiting.add(event.run());
                }
            }
            placeWaiting(now);
            if (!events.isEmpty()) {
                account(events.peek().time() - now);
            }
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException(waiting.size() + " run(s) could never be placed, e.g. run " + waiting.first().id()
                    + " needing " + waiting.first().shards() + " × " + waiting.first().requirement());
        }
        return new SimOutcome(trace, policy.name(), queueing, starts, wholeMachineWaitHours, fragmentedExecutorHours,
                idleWhileWaitingDeviceHours);
    }

    private void placeWaiting(double now) {
        Set<String> reserved = new HashSet<>();
        Set<String> failedShapes = new HashSet<>();
        List<SimRun> started = new ArrayList<>();
        List<SimRun> queue = new ArrayList<>(waiting);
        if (queueing.ages()) {
            // Runs that have waited long enough go first, oldest first, whatever their priority.
            queue.sort(Comparator.comparingInt((SimRun run) -> aged(run, now) ? 0 : 1)
                    .thenComparingDouble(run -> aged(run, now) ? run.arrivalHours() : 0)
                    .thenComparing(QUEUE_ORDER));
        }
        for (SimRun run : queue) {
            // A shape that failed fails again in this pass: placing only takes devices away.
            if (state.busyDevices() == trace.capacity() || failedShapes.size() == distinctShapes) {
                break;
            }
            String shape = shapes[run.id()];
            if (failedShapes.contains(shape)) {
                continue;
            }
            PlacementRequest request = new PlacementRequest(Trace.GROUP, PlacementRequest.allShards(run.shards()),
                    run.requirement(), run.gang(), RoutingStrategy.FIRST, policy.strategy(), "run-" + run.id(), run.id());
            PlacementResult result = policy.place(request, state.snapshot(reserved));
            if (result.complete()) {
                state.take(result.placed());
                placements.put(run.id(), result.placed());
                starts[run.id()] = now;
                started.add(run);
                events.add(new Event(now + run.durationHours(), Event.COMPLETION, run));
                continue;
            }
            if (!result.placed().isEmpty()) {
                throw new IllegalStateException(policy.name() + " placed part of run " + run.id() + ", which must wait whole");
            }
            if (queueing == Queueing.STRICT_FIFO) {
                break;
            }
            failedShapes.add(shape);
            if (queueing.reserves() && (run.requirement().count() >= Queueing.RESERVE_FROM_DEVICES
                    || queueing.ages() && aged(run, now))) {
                reserved.addAll(Reservation.executorsFor(request, state.snapshot(Set.of()), reserved));
            }
        }
        waiting.removeAll(started);
    }

    private static boolean aged(SimRun run, double now) {
        return now - run.arrivalHours() >= Queueing.AGE_HOURS;
    }

    /** Adds the measures that integrate over time for the interval until the next event. */
    private void account(double hours) {
        if (hours <= 0 || waiting.isEmpty()) {
            return;
        }
        idleWhileWaitingDeviceHours += hours * (trace.capacity() - state.busyDevices());
        SimRun wholeMachine = waiting.stream().filter(SimRun::wholeMachineShard).findFirst().orElse(null);
        if (wholeMachine == null) {
            return;
        }
        wholeMachineWaitHours += hours;
        int fragmented = 0;
        for (ExecutorCard card : state.cluster()) {
            if (Reservation.shardsWhenDrained(card, wholeMachine.requirement()) > 0 && state.partlyUsed(card)) {
                fragmented++;
            }
        }
        fragmentedExecutorHours += hours * fragmented;
    }
}
