package io.tessera.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tessera.core.validation.Check;
import io.tessera.core.validation.ValidationException;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One accelerator on an executor.
 *
 * <p>The last five fields were added later and are optional on the wire: a card written by an older
 * agent has none of them and reads as healthy, without topology and without measurements; an older
 * admin ignores them.
 *
 * @param kind               {@code GPU}, {@code NPU}, {@code FPGA}, ... (stored upper-case)
 * @param vendor             {@code nvidia}, {@code amd}, ... (free text)
 * @param model              as the vendor's tool reports it, e.g. {@code NVIDIA H100 80GB HBM3}, or a
 *                           MIG profile such as {@code 1g.10gb}
 * @param memoryMb           device memory in MiB
 * @param index              the device's index on that machine among devices of its kind; for NVIDIA
 *                           GPUs the index {@code CUDA_VISIBLE_DEVICES} takes (MIG instances are numbered
 *                           after the physical GPUs and are made visible by their UUID)
 * @param uuid               the vendor's stable id, or null when unknown
 * @param health             null when healthy, else why not (e.g. {@code 2 uncorrectable ECC errors})
 * @param numaNode           the NUMA node the device hangs off, or null when unknown
 * @param links              how this device reaches the others of its kind, by their index, in
 *                           {@code nvidia-smi topo -m} terms ({@code NV18}, {@code PIX}, {@code SYS}...);
 *                           empty when unknown
 * @param utilizationPercent the last measured utilisation, or null when not measured
 * @param memoryUsedMb       the last measured memory in use, or null when not measured
 */
public record Device(String kind, String vendor, String model, long memoryMb, int index, String uuid,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String health,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Integer numaNode,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<Integer, String> links,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Integer utilizationPercent,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Long memoryUsedMb) {

    public Device {
        kind = normaliseKind("kind", kind);
        vendor = vendor == null ? "" : vendor.trim();
        model = model == null ? "" : model.trim();
        if (memoryMb < 0) {
            throw new ValidationException("memoryMb", "must not be negative, was " + memoryMb);
        }
        if (index < 0) {
            throw new ValidationException("index", "must not be negative, was " + index);
        }
        health = health == null || health.isBlank() ? null : health.trim();
        links = links == null ? Map.of() : Map.copyOf(new TreeMap<>(links));
        if (utilizationPercent != null && (utilizationPercent < 0 || utilizationPercent > 100)) {
            throw new ValidationException("utilizationPercent", "must be 0 to 100, was " + utilizationPercent);
        }
        if (memoryUsedMb != null && memoryUsedMb < 0) {
            throw new ValidationException("memoryUsedMb", "must not be negative, was " + memoryUsedMb);
        }
    }

    /** A healthy device without topology or measurements, as detection first sees it. */
    public Device(String kind, String vendor, String model, long memoryMb, int index, String uuid) {
        this(kind, vendor, model, memoryMb, index, uuid, null, null, null, null, null);
    }

    /**
     * Reads a device from JSON through {@link Json}, whose fields may be missing: the wire codec
     * refuses records with missing constructor fields, and cards of older agents lack the newer ones.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Device fromJson(Json json) {
        if (json.index == null) {
            throw new ValidationException("index", "is missing");
        }
        return new Device(json.kind, json.vendor, json.model, json.memoryMb == null ? 0 : json.memoryMb, json.index,
                json.uuid, json.health, json.numaNode, json.links, json.utilizationPercent, json.memoryUsedMb);
    }

    @JsonIgnore
    public boolean healthy() {
        return health == null;
    }

    public Device withHealth(String problem) {
        return new Device(kind, vendor, model, memoryMb, index, uuid, problem, numaNode, links, utilizationPercent, memoryUsedMb);
    }

    public Device withTopology(Integer numa, Map<Integer, String> linksByIndex) {
        return new Device(kind, vendor, model, memoryMb, index, uuid, health, numa, linksByIndex, utilizationPercent, memoryUsedMb);
    }

    public Device withUsage(Integer utilization, Long memoryUsed) {
        return new Device(kind, vendor, model, memoryMb, index, uuid, health, numaNode, links, utilization, memoryUsed);
    }

    static String normaliseKind(String field, String kind) {
        String trimmed = Check.notBlank(field, kind).trim().toUpperCase(Locale.ROOT);
        if (!trimmed.matches("[A-Z][A-Z0-9_]{0,31}")) {
            throw new ValidationException(field, "'" + kind + "' is not a device kind; use a word such as GPU, NPU or FPGA");
        }
        return trimmed;
    }

    /** The JSON form, every field optional. */
    static final class Json {
        public String kind;
        public String vendor;
        public String model;
        public Long memoryMb;
        public Integer index;
        public String uuid;
        public String health;
        public Integer numaNode;
        public Map<Integer, String> links;
        public Integer utilizationPercent;
        public Long memoryUsedMb;
    }
}
