package io.tessera.executor.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.model.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code rocm-smi --showproductname --showmeminfo vram --json}: an object with one entry per
 * card, {@code "card0": {"Card Series": "…", "VRAM Total Memory (B)": "…", …}}. The card number is
 * the index {@code HIP_VISIBLE_DEVICES} takes. The model is the card series (the "Card Model" field
 * is a PCI id on many versions); memory is 0 when the output has no VRAM figure.
 */
public final class RocmSmiParser {

    static final String VENDOR = "amd";
    static final List<String> QUERY = List.of("--showproductname", "--showmeminfo", "vram", "--json");
    private static final Logger log = LoggerFactory.getLogger(RocmSmiParser.class);
    private static final Pattern CARD = Pattern.compile("card(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RocmSmiParser() {
    }

    public static List<Device> parse(String output) {
        List<Device> devices = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(output);
        } catch (IOException e) {
            log.warn("ignoring rocm-smi output that is not JSON: {}", e.getMessage());
            return devices;
        }
        if (root == null || !root.isObject()) {
            return devices;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> card = it.next();
            Matcher name = CARD.matcher(card.getKey());
            if (!name.matches()) {
                continue;
            }
            JsonNode fields = card.getValue();
            String model = text(fields, "Card Series");
            if (model == null) {
                model = text(fields, "Card series");
            }
            String bytes = text(fields, "VRAM Total Memory (B)");
            long memoryMb = bytes != null && bytes.matches("\\d+") ? Long.parseLong(bytes) / (1024 * 1024) : 0;
            String uuid = text(fields, "Unique ID");
            devices.add(new Device("GPU", VENDOR, model == null ? "AMD GPU" : model, memoryMb,
                    Integer.parseInt(name.group(1)), uuid == null || uuid.equals("N/A") ? null : uuid));
        }
        devices.sort(Comparator.comparingInt(Device::index));
        return devices;
    }

    private static String text(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.asText().trim();
    }
}
