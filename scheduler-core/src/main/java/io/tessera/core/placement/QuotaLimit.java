package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.Device;
import io.tessera.core.validation.ValidationException;

/**
 * At most {@code devices} devices of a kind (and, optionally, a model) in use at once by one queue.
 * Written {@code KIND:COUNT[:MODEL]}, e.g. {@code GPU:8:*H100*}; the model is a glob as in an
 * accelerator requirement.
 */
public record QuotaLimit(String kind, int devices, String modelPattern) {

    public static final int MAX_DEVICES = 100_000;

    public QuotaLimit {
        if (kind == null || !kind.matches("[A-Za-z][A-Za-z0-9_-]{0,31}")) {
            throw new ValidationException("quota", "'" + kind + "' is not a device kind such as GPU, NPU or FPGA");
        }
        kind = kind.toUpperCase(java.util.Locale.ROOT);
        if (devices < 0 || devices > MAX_DEVICES) {
            throw new ValidationException("quota", "a quota of " + devices + " " + kind + " is not between 0 and " + MAX_DEVICES);
        }
        modelPattern = modelPattern == null || modelPattern.isBlank() ? null : modelPattern.trim();
    }

    public static QuotaLimit parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split(":", 3);
        if (parts.length < 2) {
            throw new ValidationException("quota", "'" + text + "' is not KIND:COUNT[:MODEL], e.g. GPU:8:*H100*");
        }
        int count;
        try {
            count = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new ValidationException("quota", "'" + parts[1] + "' in '" + text + "' is not a number of devices");
        }
        return new QuotaLimit(parts[0].trim(), count, parts.length == 3 ? parts[2] : null);
    }

    /** Whether a device counts against this limit. */
    public boolean covers(Device device) {
        return new AcceleratorRequirement(kind, 1, modelPattern, 0).accepts(device);
    }

    /** {@code GPU} or {@code GPU *H100*}: how the limit is named in messages. */
    public String label() {
        return modelPattern == null ? kind : kind + " " + modelPattern;
    }

    @Override
    public String toString() {
        return kind + ":" + devices + (modelPattern == null ? "" : ":" + modelPattern);
    }
}
