package io.tessera.core.model;

import io.tessera.core.validation.Check;
import io.tessera.core.validation.ValidationException;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a live executor says about itself in its ZooKeeper member node.
 *
 * @param id      unique per agent process, stable for its lifetime
 * @param group   the executor group jobs are addressed to
 * @param address {@code host:port} of the agent's endpoint
 * @param devices its accelerators, sorted by kind and index
 * @param slots   how many shards it runs at once
 * @param labels  free-form key/values an operator can filter on
 * @param version the agent's version
 */
public record ExecutorCard(String id, String group, String address, List<Device> devices, int slots,
                           Map<String, String> labels, String version) {

    public ExecutorCard {
        Check.notBlank("id", id);
        Check.name("group", group);
        Check.notBlank("address", address);
        devices = devices == null ? List.of() : devices.stream()
                .sorted(Comparator.comparing(Device::kind).thenComparingInt(Device::index))
                .toList();
        Set<String> seen = new HashSet<>();
        for (Device device : devices) {
            if (!seen.add(device.kind() + "#" + device.index())) {
                throw new ValidationException("devices", "two " + device.kind() + " devices have index " + device.index());
            }
        }
        Check.range("slots", slots, 1, 100_000);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        version = version == null ? "" : version;
    }

    /** The host part of {@link #address()}; an IPv6 address without its brackets. */
    public String host() {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
