package io.tessera.bench.placement;

import io.tessera.bench.placement.PlacementSimulator.TraceResults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Writes {@code README.md} (tables per trace) and the charts it links. */
final class PlacementReport {

    private PlacementReport() {
    }

    static void write(List<TraceResults> results, Path dir, String preamble) throws IOException {
        StringBuilder md = new StringBuilder(preamble);
        for (TraceResults result : results) {
            Trace trace = result.trace();
            String gapPng = trace.name() + "-device-hours.png";
            String fragPng = trace.name() + "-fragmentation.png";
            PlacementChart.write(result.outcomes(), outcome -> 100 * (outcome.usedDeviceHours() / result.boundDeviceHours() - 1),
                    trace.name() + ": device-hours used above the lower bound", "% above the bound", dir.resolve(gapPng));
            PlacementChart.write(result.outcomes(), SimOutcome::meanFragmentedExecutors,
                    trace.name() + ": fragmented executors while an 8-GPU run waits (time-averaged)", "executors",
                    dir.resolve(fragPng));
            appendTrace(md, result, gapPng, fragPng);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("README.md"), md.toString(), StandardCharsets.UTF_8);
    }

    private static void appendTrace(StringBuilder md, TraceResults result, String gapPng, String fragPng) {
        Trace trace = result.trace();
        double demand = trace.runs().stream().mapToDouble(SimRun::deviceHours).sum();
        md.append("\n## Trace `").append(trace.name()).append("`\n\n")
                .append(trace.description()).append(".\n\n")
                .append(String.format(Locale.ROOT, "Demand %,.0f device-hours on %d devices (demand ÷ capacity = %,.1f h); "
                                + "lower bound on the makespan %,.1f h, i.e. **%,.0f device-hours**; its largest term is %s.%n%n",
                        demand, trace.capacity(), demand / trace.capacity(), LowerBound.lastEnd(trace)
                                - trace.runs().stream().mapToDouble(SimRun::arrivalHours).min().orElse(0),
                        result.boundDeviceHours(), LowerBound.binding(trace).what()));
        md.append("| queue | policy | makespan (h) | device-hours used | above bound | idle device-h while runs waited "
                        + "| mean wait (h) | p95 wait (h) | gang wait mean / p95 (h) | h with an 8-GPU run waiting "
                        + "| fragmented executors (mean) |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SimOutcome o : result.outcomes()) {
            Waits all = Waits.of(o, run -> true);
            Waits gang = Waits.of(o, SimRun::gang);
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.1f | %,.0f | %.1f %% | %,.0f | %.2f | %.2f | %s | %,.1f | %.2f |%n",
                    o.queueing().label(), o.policy(), o.makespan(), o.usedDeviceHours(),
                    100 * (o.usedDeviceHours() / result.boundDeviceHours() - 1), o.idleWhileWaitingDeviceHours(),
                    all.mean(), all.p95(), gang.count() == 0 ? "—" : String.format(Locale.ROOT, "%.2f / %.2f", gang.mean(), gang.p95()),
                    o.wholeMachineWaitHours(), o.meanFragmentedExecutors()));
        }
        md.append("\nWait by the run's total GPUs, mean / p95 in hours (runs in the group):\n\n| queue | policy |");
        Map<String, Predicate<SimRun>> sizes = Waits.BY_SIZE;
        sizes.forEach((name, which) -> md.append(' ').append(name).append(" (")
                .append(trace.runs().stream().filter(which).count()).append(") |"));
        md.append("\n|---|---|").append("---:|".repeat(sizes.size())).append('\n');
        for (SimOutcome o : result.outcomes()) {
            md.append("| ").append(o.queueing().label()).append(" | ").append(o.policy()).append(" |");
            sizes.values().forEach(which -> {
                Waits w = Waits.of(o, which);
                md.append(w.count() == 0 ? " — |" : String.format(Locale.ROOT, " %.2f / %.2f |", w.mean(), w.p95()));
            });
            md.append('\n');
        }
        md.append("\n![").append(trace.name()).append(" device-hours](").append(gapPng).append(")\n")
                .append("![").append(trace.name()).append(" fragmentation](").append(fragPng).append(")\n");
    }
}
