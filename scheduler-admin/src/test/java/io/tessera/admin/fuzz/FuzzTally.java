package io.tessera.admin.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the suite's requests and answers by target and status, for the summary line and its assertion. */
final class FuzzTally {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final Map<String, AtomicLong> byTargetAndStatus = new ConcurrentHashMap<>();

    void record(String target, int status) {
        requests.incrementAndGet();
        if (status >= 500) {
            serverErrors.incrementAndGet();
        }
        byTargetAndStatus.computeIfAbsent(target + " " + status, key -> new AtomicLong()).incrementAndGet();
    }

    long requests() {
        return requests.get();
    }

    long serverErrors() {
        return serverErrors.get();
    }

    String summary() {
        Map<String, Long> sorted = new TreeMap<>();
        byTargetAndStatus.forEach((key, count) -> sorted.put(key, count.get()));
        return "fuzz: " + requests() + " requests, " + serverErrors() + " x 5xx; by target and status: " + sorted;
    }
}
