package io.tessera.core.placement;

import io.tessera.core.model.Device;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which k of an executor's free devices a shard gets: the set whose devices reach each other best
 * ({@code nvidia-smi topo -m} links: NVLink before one PCIe switch before several before the host
 * bridge before crossing NUMA nodes). Without topology on the card the lowest indices are taken, as
 * before. Deterministic, so that every admin chooses alike.
 */
public final class DeviceChoice {

    /** Above this many candidate sets a greedy search from every start device replaces the exhaustive one. */
    private static final long EXHAUSTIVE_LIMIT = 20_000;
    private static final long CROSS_NUMA = 50;

    private DeviceChoice() {
    }

    /**
     * @param free  the free devices that satisfy the requirement, sorted by index
     * @param count how many to take, at most {@code free.size()}
     */
    public static List<Device> best(List<Device> free, int count) {
        if (count >= free.size() || count <= 1 || free.stream().allMatch(d -> d.links().isEmpty() && d.numaNode() == null)) {
            return List.copyOf(free.subList(0, Math.min(count, free.size())));
        }
        return combinations(free.size(), count) <= EXHAUSTIVE_LIMIT ? exhaustive(free, count) : greedy(free, count);
    }

    /** The cost of a set: the sum over its pairs; lower is better. */
    public static long cost(List<Device> devices) {
        long total = 0;
        for (int i = 0; i < devices.size(); i++) {
            for (int j = i + 1; j < devices.size(); j++) {
                total += pairCost(devices.get(i), devices.get(j));
            }
        }
        return total;
    }

    /** How two devices reach each other, for a person: the worst link of the set, e.g. {@code NV12} or {@code SYS}. */
    public static String weakestLink(List<Device> devices) {
        String weakest = null;
        long worst = -1;
        for (int i = 0; i < devices.size(); i++) {
            for (int j = i + 1; j < devices.size(); j++) {
                long cost = pairCost(devices.get(i), devices.get(j));
                if (cost > worst) {
                    worst = cost;
                    weakest = link(devices.get(i), devices.get(j));
                }
            }
        }
        return weakest == null ? "unknown" : weakest;
    }

    static long pairCost(Device a, Device b) {
        long cost = linkCost(link(a, b));
        if (a.numaNode() != null && b.numaNode() != null && !a.numaNode().equals(b.numaNode())) {
            // Boxes that report every pair as SYS still differ in CPU and memory affinity: keep a shard on one node.
            cost = Math.max(cost, linkCost("SYS")) + CROSS_NUMA;
        }
        return cost;
    }

    private static String link(Device a, Device b) {
        String link = a.links().get(b.index());
        if (link == null) {
            link = b.links().get(a.index());
        }
        return link == null ? "unknown" : link;
    }

    /** NVLink: 100 less the number of bonded links; then the PCIe distances of {@code nvidia-smi topo -m}'s legend. */
    static long linkCost(String link) {
        String text = link.trim().toUpperCase(Locale.ROOT);
        if (text.startsWith("NV")) {
            try {
                return 100 - Math.min(99, Integer.parseInt(text.substring(2)));
            } catch (NumberFormatException e) {
                return 99;
            }
        }
        return switch (text) {
            case "PIX" -> 200;
            case "PXB" -> 300;
            case "PHB" -> 400;
            case "NODE" -> 500;
            case "SYS" -> 600;
            default -> 700;
        };
    }

    private static List<Device> exhaustive(List<Device> free, int count) {
        int[] pick = new int[count];
        for (int i = 0; i < count; i++) {
            pick[i] = i;
        }
        List<Device> best = null;
        long bestCost = Long.MAX_VALUE;
        while (true) {
            List<Device> set = new ArrayList<>(count);
            for (int i : pick) {
                set.add(free.get(i));
            }
            long cost = cost(set);
            if (cost < bestCost) {
                best = set;
                bestCost = cost;
            }
            int i = count - 1;
            while (i >= 0 && pick[i] == free.size() - count + i) {
                i--;
            }
            if (i < 0) {
                return List.copyOf(best);
            }
            pick[i]++;
            for (int j = i + 1; j < count; j++) {
                pick[j] = pick[j - 1] + 1;
            }
        }
    }

    private static List<Device> greedy(List<Device> free, int count) {
        List<Device> best = null;
        long bestCost = Long.MAX_VALUE;
        for (Device start : free) {
            List<Device> set = new ArrayList<>(List.of(start));
            while (set.size() < count) {
                Device next = free.stream()
                        .filter(d -> !set.contains(d))
                        .min(Comparator.comparingLong((Device d) -> set.stream().mapToLong(s -> pairCost(s, d)).sum())
                                .thenComparingInt(Device::index))
                        .orElseThrow();
                set.add(next);
            }
            long cost = cost(set);
            if (cost < bestCost) {
                best = set;
                bestCost = cost;
            }
        }
        return best.stream().sorted(Comparator.comparingInt(Device::index)).toList();
    }

    private static long combinations(int n, int k) {
        long result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
            if (result > EXHAUSTIVE_LIMIT) {
                return result;
            }
        }
        return result;
    }
}
