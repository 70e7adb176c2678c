package io.tessera.core.model;

import io.tessera.core.validation.ValidationException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What each shard of a job needs: {@code count} devices of {@code kind}, optionally of a model and
 * with at least some memory, all on one executor.
 *
 * <p>The model pattern is matched case-insensitively. Without wildcards it matches any model that
 * contains it ({@code H100} matches {@code NVIDIA H100 80GB HBM3}); with {@code *} or {@code ?} it
 * must match the whole model name ({@code *A100*80GB*}).
 *
 * @param kind         device kind, e.g. GPU
 * @param count        devices per shard, at least 1
 * @param modelPattern null or blank for any model
 * @param minMemoryMb  0 for any amount
 */
public record AcceleratorRequirement(String kind, int count, String modelPattern, long minMemoryMb) {

    public static final int MAX_COUNT = 64;
    public static final int MAX_MODEL = 128;

    public AcceleratorRequirement {
        kind = Device.normaliseKind("accelerators.kind", kind);
        if (count < 1 || count > MAX_COUNT) {
            throw new ValidationException("accelerators.count", "must be between 1 and " + MAX_COUNT + ", was " + count);
        }
        modelPattern = modelPattern == null || modelPattern.isBlank() ? null : modelPattern.trim();
        if (modelPattern != null && modelPattern.length() > MAX_MODEL) {
            throw new ValidationException("accelerators.model", "must be at most " + MAX_MODEL + " characters, was "
                    + modelPattern.length());
        }
        if (modelPattern != null && modelPattern.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("accelerators.model", "must not contain control characters (tabs, line breaks, ...)");
        }
        if (minMemoryMb < 0) {
            throw new ValidationException("accelerators.minMemoryMb", "must not be negative, was " + minMemoryMb);
        }
    }

    public static AcceleratorRequirement of(String kind, int count) {
        return new AcceleratorRequirement(kind, count, null, 0);
    }

    /**
     * Parses {@code KIND:COUNT[:MODEL_PATTERN[:MIN_MEMORY_MB]]}, e.g. {@code GPU:1},
     * {@code GPU:2:H100}, {@code GPU:1::40000}.
     */
    public static AcceleratorRequirement parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException("accelerators", "is empty; expected KIND:COUNT[:MODEL[:MIN_MEMORY_MB]], e.g. GPU:1 or GPU:2:H100:40000");
        }
        String[] parts = text.trim().split(":", -1);
        if (parts.length < 2 || parts.length > 4) {
            throw new ValidationException("accelerators", "'" + text + "' has " + parts.length
                    + " part(s); expected KIND:COUNT[:MODEL[:MIN_MEMORY_MB]], e.g. GPU:1 or GPU:2:H100:40000");
        }
        int count;
        try {
            count = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new ValidationException("accelerators.count", "'" + parts[1] + "' is not a whole number");
        }
        String model = parts.length > 2 ? parts[2] : null;
        long memory = 0;
        if (parts.length > 3 && !parts[3].isBlank()) {
            try {
                memory = Long.parseLong(parts[3].trim());
            } catch (NumberFormatException e) {
                throw new ValidationException("accelerators.minMemoryMb", "'" + parts[3] + "' is not a whole number of MiB");
            }
        }
        return new AcceleratorRequirement(parts[0], count, model, memory);
    }

    /** Whether one device can serve as one of the {@code count} devices of a shard. */
    public boolean accepts(Device device) {
        return device.kind().equals(kind) && device.memoryMb() >= minMemoryMb && modelMatches(device.model());
    }

    public boolean modelMatches(String model) {
        if (modelPattern == null) {
            return true;
        }
        String candidate = model.toLowerCase(Locale.ROOT);
        String pattern = modelPattern.toLowerCase(Locale.ROOT);
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return candidate.contains(pattern);
        }
        return globToRegex(pattern).matcher(candidate).matches();
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * The text form for people and logs. {@link #parse} reads it back only when the model has no
     * {@code :}; stores must keep the fields apart.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind).append(':').append(count);
        if (modelPattern != null || minMemoryMb > 0) {
            text.append(':').append(modelPattern == null ? "" : modelPattern);
        }
        if (minMemoryMb > 0) {
            text.append(':').append(minMemoryMb);
        }
        return text.toString();
    }
}
