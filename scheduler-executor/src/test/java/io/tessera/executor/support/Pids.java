package io.tessera.executor.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads pid files that test commands write, and checks whether those processes still live. */
public final class Pids {

    private Pids() {
    }

    public static boolean written(Path file) throws IOException {
        return Files.exists(file) && !Files.readString(file).isBlank();
    }

    public static long read(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Test cleanup: kill a process a failed test may have left behind. */
    public static void kill(Path file) {
        try {
            if (written(file)) {
                ProcessHandle.of(read(file)).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to clean
        }
    }

    /** A command line whose shell writes its own pid and its child's, then waits for the child. */
    public static String treeCommand(Path dir) {
        return "sh -c 'echo $$ > " + dir.resolve("parent") + "; sleep 300 & echo $! > " + dir.resolve("child") + "; wait'";
    }
}
