package io.tessera.core.model;

import io.tessera.core.validation.Check;
import io.tessera.core.validation.ValidationException;

import java.util.Locale;

/**
 * One accelerator on an executor.
 *
 * @param kind     {@code GPU}, {@code NPU}, {@code FPGA}, ... (stored upper-case)
 * @param vendor   {@code nvidia}, {@code amd}, ... (free text)
 * @param model    as the vendor's tool reports it, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param memoryMb device memory in MiB
 * @param index    the vendor's device index on that machine, as used in {@code CUDA_VISIBLE_DEVICES}
 * @param uuid     the vendor's stable id, or null when unknown
 */
public record Device(String kind, String vendor, String model, long memoryMb, int index, String uuid) {

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
    }

    static String normaliseKind(String field, String kind) {
        String trimmed = Check.notBlank(field, kind).trim().toUpperCase(Locale.ROOT);
        if (!trimmed.matches("[A-Z][A-Z0-9_]{0,31}")) {
            throw new ValidationException(field, "'" + kind + "' is not a device kind; use a word such as GPU, NPU or FPGA");
        }
        return trimmed;
    }
}
