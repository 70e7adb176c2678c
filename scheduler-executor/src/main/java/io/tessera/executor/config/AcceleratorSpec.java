package io.tessera.executor.config;

import io.tessera.core.model.Device;
import io.tessera.core.validation.ValidationException;

import java.util.ArrayList;
import java.util.List;

/**
 * A declared group of identical devices, written {@code KIND:VENDOR:MODEL:MEMORY_MB:COUNT}, e.g.
 * {@code GPU:nvidia:H100:81559:2}. Declared devices describe machines whose vendor tool Tessera
 * cannot read, CPU-only test machines that pretend to have devices, or override detection.
 */
public record AcceleratorSpec(String kind, String vendor, String model, long memoryMb, int count) {

    public static final String FORMAT = "KIND:VENDOR:MODEL:MEMORY_MB:COUNT";

    public AcceleratorSpec {
        if (count < 1 || count > 1024) {
            throw new ValidationException("accelerator", "COUNT must be between 1 and 1024, was " + count);
        }
        // Validates kind, vendor, model and memory the same way a detected device is validated.
        new Device(kind, vendor, model, memoryMb, 0, null);
    }

    public static AcceleratorSpec parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":", -1);
        if (parts.length != 5) {
            throw new ValidationException("accelerator", "'" + text + "' is not " + FORMAT + " (e.g. GPU:nvidia:H100:81559:2)");
        }
        return new AcceleratorSpec(parts[0], parts[1], parts[2],
                number(parts[3], "MEMORY_MB", text), Math.toIntExact(number(parts[4], "COUNT", text)));
    }

    /** The devices this spec declares, indexed from {@code firstIndex}. */
    public List<Device> devices(int firstIndex) {
        List<Device> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            devices.add(new Device(kind, vendor, model, memoryMb, firstIndex + i, null));
        }
        return devices;
    }

    private static long number(String value, String name, String text) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException("accelerator", name + " '" + value + "' in '" + text + "' is not a whole number");
        }
    }
}
