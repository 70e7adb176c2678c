package io.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** CPU time of a process from {@code /proc/<pid>/stat} (utime + stime; Linux only). */
final class ProcStat {

    private static final long CLOCK_TICKS = clockTicks();

    private ProcStat() {
    }

    /** CPU seconds the process has used so far (its threads included), or empty when it is gone. */
    static OptionalDouble cpuSeconds(long pid) {
        try {
            return OptionalDouble.of(cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
                    / (double) CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** utime + stime, fields 14 and 15 of a stat line; the command name (field 2) may hold spaces. */
    static long cpuTicks(String statLine) {
        String[] after = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" +");
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }

    /** The pid of the first process whose command name is one of {@code names}, e.g. the MariaDB server. */
    static OptionalLong findByName(String... names) {
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String pid = dir.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String comm = Files.readString(dir.resolve("comm")).trim();
                    for (String name : names) {
                        if (name.equals(comm)) {
                            return OptionalLong.of(Long.parseLong(pid));
                        }
                    }
                } catch (IOException ignored) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
