package io.tessera.admin.store.mybatis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.model.AcceleratorRequirement;

import java.util.Arrays;

/**
 * The {@code job.accelerators} column: a JSON object, so that any model string survives the round
 * trip. Rows written before V3 hold {@code KIND:COUNT[:MODEL[:MIN_MEMORY_MB]]} text and are still read.
 */
final class AcceleratorColumn {

    /** What a requirement is stored as; field names are the column's format, keep them. */
    record Stored(String kind, int count, String model, long minMemoryMb) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private AcceleratorColumn() {
    }

    static String write(AcceleratorRequirement need) {
        if (need == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new Stored(need.kind(), need.count(), need.modelPattern(), need.minMemoryMb()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write accelerator requirement " + need + " as JSON", e);
        }
    }

    /** @throws IllegalArgumentException when the text is neither form, or holds a requirement that is not valid */
    static AcceleratorRequirement read(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        if (!trimmed.startsWith("{")) {
            return readLegacy(trimmed);
        }
        Stored stored;
        try {
            stored = JSON.readValue(trimmed, Stored.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("accelerators: '" + text + "' is not a stored requirement: "
                    + e.getOriginalMessage(), e);
        }
        return new AcceleratorRequirement(stored.kind(), stored.count(), stored.model(), stored.minMemoryMb());
    }

    /**
     * The pre-V3 text. It was written as KIND:COUNT, then :MODEL when there was a model or a minimum,
     * then :MEMORY when the minimum was above 0, with nothing escaped: so the last part is the memory
     * when there are four or more parts and it is a whole number, and everything between the count and
     * it is the model, colons included ({@code GPU:1:H100:SXM} is model {@code H100:SXM}).
     */
    private static AcceleratorRequirement readLegacy(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length <= 3) {
            return AcceleratorRequirement.parse(text);
        }
        String last = parts[parts.length - 1].trim();
        boolean lastIsMemory = last.matches("\\d{1,18}");
        String model = String.join(":", Arrays.copyOfRange(parts, 2, lastIsMemory ? parts.length - 1 : parts.length));
        int count;
        try {
            count = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("accelerators: count '" + parts[1] + "' of '" + text + "' is not a whole number", e);
        }
        return new AcceleratorRequirement(parts[0], count, model, lastIsMemory ? Long.parseLong(last) : 0);
    }
}
