package io.tessera.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * @param scheme  {@code https} when the endpoint speaks TLS, else {@code http} (also for a card that has no scheme:
 *                agents before TLS wrote none)
 */
public record ExecutorCard(String id, String group, String address, List<Device> devices, int slots,
                           Map<String, String> labels, String version, String scheme) {

    public static final String HTTP = "http";
    public static final String HTTPS = "https";

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
        scheme = scheme == null ? HTTP : scheme;
        if (!scheme.equals(HTTP) && !scheme.equals(HTTPS)) {
            throw new ValidationException("scheme", "'" + scheme + "' is neither " + HTTP + " nor " + HTTPS);
        }
    }

    /** A card of a plaintext endpoint. */
    public ExecutorCard(String id, String group, String address, List<Device> devices, int slots,
                        Map<String, String> labels, String version) {
        this(id, group, address, devices, slots, labels, version, HTTP);
    }

    /**
     * Reads a card whether or not it has a {@code scheme}: the wire codec refuses a record whose JSON lacks a
     * component, and cards written before TLS have none.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ExecutorCard fromJson(Json json) {
        return new ExecutorCard(json.id, json.group, json.address, json.devices, json.slots == null ? 0 : json.slots,
                json.labels, json.version, json.scheme);
    }

    /** The card's JSON as written, each field optional; the record's constructor validates. */
    static final class Json {
        public String id;
        public String group;
        public String address;
        public List<Device> devices;
        public Integer slots;
        public Map<String, String> labels;
        public String version;
        public String scheme;
    }

    /** The endpoint's base URL, {@code scheme://host:port}. */
    public String baseUrl() {
        return scheme + "://" + address;
    }

    /** The host part of {@link #address()}; an IPv6 address without its brackets. */
    public String host() {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
