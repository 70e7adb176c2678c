package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;

import java.util.Map;
import java.util.TreeMap;

/** Sentences that say why shards could not be placed: which constraint fails and by how much. */
final class Diagnosis {

    private Diagnosis() {
    }

    static String devices(PlacementRequest request, Placer.Ledger ledger, int capacity) {
        AcceleratorRequirement requirement = request.requirement();
        String kind = requirement.kind();
        String group = request.group();
        long ofKind = ledger.executors.stream().flatMap(card -> card.devices().stream())
                .filter(device -> device.kind().equals(kind)).count();
        if (ofKind == 0) {
            return "no executor in group '" + group + "' has a " + kind + " device";
        }
        long matching = ledger.executors.stream().flatMap(card -> card.devices().stream())
                .filter(requirement::accepts).count();
        if (matching == 0) {
            return "no " + kind + " in group '" + group + "' matches " + constraints(requirement) + "; seen: " + seen(ledger, kind);
        }
        int maxOnOne = ledger.executors.stream()
                .mapToInt(card -> (int) card.devices().stream().filter(requirement::accepts).count())
                .max().orElse(0);
        if (maxOnOne < requirement.count()) {
            return "each shard needs " + requirement.count() + " " + describe(requirement) + " on one executor, but no executor in group '"
                    + group + "' has more than " + maxOnOne;
        }
        int free = ledger.executors.stream().mapToInt(card -> ledger.freeMatching(card, requirement).size()).sum();
        int freeSlots = ledger.executors.stream().mapToInt(ledger::freeSlots).sum();
        int missing = request.shards().size() - capacity;
        StringBuilder text = new StringBuilder()
                .append(request.gang() ? "gang of " : "").append(request.shards().size())
                .append(" shard(s) × ").append(requirement.count()).append(' ').append(describe(requirement))
                .append(": ").append(free).append(" of ").append(matching).append(" matching device(s) free in group '")
                .append(group).append("', room for ").append(capacity).append(" shard(s); ")
                .append(missing).append(" shard(s) must wait");
        if (freeSlots < request.shards().size()) {
            text.append(" (free executor slots: ").append(freeSlots).append(')');
        }
        long unhealthy = ledger.executors.stream().flatMap(card -> card.devices().stream())
                .filter(requirement::accepts).filter(device -> !device.healthy()).count();
        if (unhealthy > 0) {
            text.append("; ").append(unhealthy).append(" matching device(s) unhealthy, not placed on");
        }
        return text.toString();
    }

    static String slots(PlacementRequest request, int executors, int freeSlots) {
        return (request.gang() ? "gang of " : "") + request.shards().size() + " shard(s) need a free slot each, but the "
                + executors + " executor(s) of group '" + request.group() + "' have " + freeSlots + " free";
    }

    private static String describe(AcceleratorRequirement requirement) {
        String constraints = constraints(requirement);
        return requirement.kind() + (constraints.isEmpty() ? "" : " (" + constraints + ")");
    }

    private static String constraints(AcceleratorRequirement requirement) {
        StringBuilder text = new StringBuilder();
        if (requirement.modelPattern() != null) {
            text.append("model '").append(requirement.modelPattern()).append('\'');
        }
        if (requirement.minMemoryMb() > 0) {
            text.append(text.isEmpty() ? "" : ", ").append("≥ ").append(requirement.minMemoryMb()).append(" MiB");
        }
        return text.toString();
    }

    private static String seen(Placer.Ledger ledger, String kind) {
        Map<String, Integer> models = new TreeMap<>();
        for (ExecutorCard card : ledger.executors) {
            for (Device device : card.devices()) {
                if (device.kind().equals(kind)) {
                    models.merge(device.model() + " " + device.memoryMb() + " MiB", 1, Integer::sum);
                }
            }
        }
        StringBuilder text = new StringBuilder();
        models.forEach((model, count) -> text.append(text.isEmpty() ? "" : ", ").append(count).append(" × ").append(model));
        return text.toString();
    }
}
