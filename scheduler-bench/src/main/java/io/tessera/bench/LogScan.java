package io.tessera.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Counts WARN and ERROR lines in the processes' logs, so that a run's oddities show in its verdict. */
final class LogScan {

    /** Spring Boot's console pattern ({@code 2026-…Z  WARN 123 --- [app] [thread] logger : msg}) and the workers' logback pattern. */
    private static final Pattern LEVEL = Pattern.compile("^\\S+\\s+(ERROR|WARN)\\s+(.*)$");
    private static final int TOP = 5;

    private LogScan() {
    }

    /** Every line of the logs. */
    static TrialResult.LogSummary summarize(List<Path> logs) {
        return summarize(logs, Map.of());
    }

    /**
     * @param limits how many bytes of a log to read (its size when the benchmark began to stop the
     *               processes, so that the noise of stopping them does not drown what happened before)
     */
    static TrialResult.LogSummary summarize(List<Path> logs, Map<Path, Long> limits) {
        long errors = 0, warnings = 0;
        Map<String, Integer> messages = new HashMap<>();
        for (Path log : logs) {
            if (!Files.exists(log)) {
                continue;
            }
            long limit = limits.getOrDefault(log, Long.MAX_VALUE);
            try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(
                    limited(Files.newInputStream(log), limit), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Matcher m = LEVEL.matcher(line);
                    if (!m.matches()) {
                        continue;
                    }
                    if (m.group(1).equals("ERROR")) {
                        errors++;
                    } else {
                        warnings++;
                    }
                    messages.merge(m.group(1) + " " + fold(m.group(2)), 1, Integer::sum);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                messages.merge("(log unreadable: " + e.getMessage() + ")", 1, Integer::sum);
            }
        }
        List<String> top = messages.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(TOP)
                .map(e -> e.getValue() + "× " + e.getKey())
                .toList();
        return new TrialResult.LogSummary(errors, warnings, top);
    }

    /** Sizes of the logs now. */
    static Map<Path, Long> sizes(List<Path> logs) {
        Map<Path, Long> sizes = new HashMap<>();
        for (Path log : logs) {
            try {
                sizes.put(log, Files.size(log));
            } catch (IOException e) {
                sizes.put(log, 0L);
            }
        }
        return sizes;
    }

    private static java.io.InputStream limited(java.io.InputStream in, long limit) {
        return new java.io.FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buffer, offset, (int) Math.min(length, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }

    /** The message part, with numbers folded so that repeats of one message count together. */
    static String fold(String rest) {
        int colon = rest.indexOf(" : ");
        int dash = rest.indexOf(" - ");
        String message = colon >= 0 ? rest.substring(colon + 3) : dash >= 0 ? rest.substring(dash + 3) : rest;
        String logger = colon >= 0 ? lastWord(rest.substring(0, colon)) : dash >= 0 ? lastWord(rest.substring(0, dash)) : "";
        String folded = message.replaceAll("\\d+", "#");
        folded = folded.length() > 160 ? folded.substring(0, 160) + "…" : folded;
        return (logger.isEmpty() ? "" : logger + ": ") + folded;
    }

    private static String lastWord(String text) {
        String[] words = text.trim().split("\\s+");
        String w = words[words.length - 1];
        return w.substring(w.lastIndexOf('.') + 1);
    }

    /** The last lines of a log, for error messages. */
    static String tail(Path log, int lines) {
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                last.add(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
        return last.isEmpty() ? "" : "\n  | " + String.join("\n  | ", last);
    }
}
