package io.tessera.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a benchmark run started, written down as it starts it ({@code owner}, {@code children},
 * {@code database} in its run directory), so that the next benchmark can end what a killed one
 * (kill -9, no shutdown hook) left: processes still alive with the recorded start time, and the
 * database. Workers and the standalone ZooKeeper also exit by themselves when the benchmark is gone;
 * the admin jar cannot, so this is its safety net.
 */
final class RunRegistry {

    private final Path dir;

    RunRegistry(Path runDir) throws IOException {
        this.dir = runDir;
        Files.createDirectories(runDir);
        Files.writeString(dir.resolve("owner"), describe(ProcessHandle.current()) + "\n", StandardCharsets.UTF_8);
    }

    void process(String name, ProcessHandle handle) throws IOException {
        Files.writeString(dir.resolve("children"), describe(handle) + " " + name + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void database(String name) throws IOException {
        Files.writeString(dir.resolve("database"), name + "\n", StandardCharsets.UTF_8);
    }

    /** After a clean end: nothing left to reap. */
    void clear() throws IOException {
        Files.deleteIfExists(dir.resolve("children"));
        Files.deleteIfExists(dir.resolve("database"));
    }

    /**
     * Ends what runs under {@code root} left behind when their benchmark died without cleaning up.
     *
     * @param dropDatabase drops a database by name
     * @return what was done, one line each
     */
    static List<String> reap(Path root, Consumer<String> dropDatabase) throws IOException {
        List<String> done = new java.util.ArrayList<>();
        if (!Files.isDirectory(root)) {
            return done;
        }
        try (var runs = Files.list(root)) {
            for (Path run : (Iterable<Path>) runs::iterator) {
                Path owner = run.resolve("owner");
                if (!Files.exists(owner) || alive(Files.readString(owner).trim())) {
                    continue;
                }
                Path children = run.resolve("children");
                if (Files.exists(children)) {
                    for (String line : Files.readAllLines(children)) {
                        Optional<ProcessHandle> left = matching(line);
                        left.ifPresent(p -> {
                            p.destroyForcibly();
                            done.add("killed " + line.substring(line.lastIndexOf(' ') + 1) + " (pid " + p.pid()
                                    + ") left by " + run.getFileName());
                        });
                    }
                }
                Path database = run.resolve("database");
                if (Files.exists(database)) {
                    String name = Files.readString(database).trim();
                    dropDatabase.accept(name);
                    done.add("dropped database " + name + " left by " + run.getFileName());
                }
                Files.deleteIfExists(children);
                Files.deleteIfExists(database);
            }
        }
        return done;
    }

    private static String describe(ProcessHandle handle) {
        return handle.pid() + " " + handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static boolean alive(String description) {
        return matching(description).isPresent();
    }

    /** The process a "pid startMillis [name]" line describes, if it still runs (a reused pid has another start time). */
    private static Optional<ProcessHandle> matching(String description) {
        String[] f = description.trim().split(" ");
        if (f.length < 2) {
            return Optional.empty();
        }
        long start = Long.parseLong(f[1]);
        return ProcessHandle.of(Long.parseLong(f[0])).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == start);
    }
}
