package io.tessera.executor.device;

import io.tessera.core.model.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the output of {@code nvidia-smi --query-gpu=index,uuid,name,memory.total
 * --format=csv,noheader,nounits}: one GPU a line, {@code 0, GPU-8f6…, NVIDIA H100 80GB HBM3, 81559}.
 * Lines that do not have that shape (warnings, "[N/A]" values) are skipped with a log line rather
 * than failing the agent.
 */
public final class NvidiaSmiParser {

    static final String VENDOR = "nvidia";
    private static final Logger log = LoggerFactory.getLogger(NvidiaSmiParser.class);

    private NvidiaSmiParser() {
    }

    public static List<Device> parse(String output) {
        List<Device> devices = new ArrayList<>();
        if (output == null) {
            return devices;
        }
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            Device device = parseLine(line);
            if (device == null) {
                log.warn("ignoring a line of nvidia-smi output that is not 'index, uuid, name, memory': {}", line);
            } else if (devices.stream().anyMatch(d -> d.index() == device.index())) {
                log.warn("ignoring a second GPU with index {} in nvidia-smi output", device.index());
            } else {
                devices.add(device);
            }
        }
        return devices;
    }

    private static Device parseLine(String line) {
        String[] parts = line.split(",");
        if (parts.length != 4) {
            return null;
        }
        try {
            int index = Integer.parseInt(parts[0].trim());
            String uuid = parts[1].trim();
            String name = parts[2].trim();
            long memory = Long.parseLong(parts[3].trim());
            if (index < 0 || memory < 0 || name.isEmpty() || uuid.isEmpty()) {
                return null;
            }
            return new Device("GPU", VENDOR, name, memory, index, uuid);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
