package io.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap use of another JVM through {@code jcmd} (same user), from the JDK the benchmark runs on. */
final class Jcmd {

    private static final Pattern USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    private Jcmd() {
    }

    /**
     * Heap in use, in KiB, from {@code GC.heap_info}; with {@code collectFirst} after a {@code GC.run}
     * (a full collection: only at the edges of a long run, never inside a measured window).
     */
    static OptionalLong heapUsedKb(long pid, boolean collectFirst) {
        if (collectFirst && run(pid, "GC.run") == null) {
            return OptionalLong.empty();
        }
        String out = run(pid, "GC.heap_info");
        return out == null ? OptionalLong.empty() : parseUsedKb(out);
    }

    static OptionalLong parseUsedKb(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    private static String run(long pid, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String exe = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        Path out = null;
        try {
            out = Files.createTempFile("tessera-bench-jcmd-", ".txt");
            List<String> line = new ArrayList<>(List.of(exe, Long.toString(pid)));
            line.addAll(List.of(command));
            Process p = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(out) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }
}
