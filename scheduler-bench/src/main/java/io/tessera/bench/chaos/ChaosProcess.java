package io.tessera.bench.chaos;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the chaos cluster: its output appended to a log (a restart keeps the earlier life's
 * lines), its pid written to the pid directory the watchdog reads, and the signals the faults need.
 */
final class ChaosProcess {

    private final String name;
    private final Process process;
    private final Path pidFile;

    private ChaosProcess(String name, Process process, Path pidFile) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
    }

    static ChaosProcess start(String name, List<String> command, Path log, Path pidDir, java.util.Map<String, String> env)
            throws IOException {
        Files.createDirectories(pidDir);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process p = builder.start();
        Path pidFile = pidDir.resolve(name + ".pid");
        Files.writeString(pidFile, Long.toString(p.pid()));
        return new ChaosProcess(name, p, pidFile);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** kill -9 (a stopped process dies of it too), and wait until it is gone; returns when the signal was sent. */
    Instant kill() {
        Instant sent = Instant.now();
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            System.err.println("chaos: cannot remove " + pidFile + ": " + e);
        }
        return sent;
    }

    /** TERM, then KILL after {@code graceSeconds}. */
    void stop(int graceSeconds) {
        if (!process.isAlive()) {
            kill();
            return;
        }
        signal("CONT");
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                System.err.println("chaos: " + this + " did not stop within " + graceSeconds + " s of TERM; killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /** SIGSTOP or SIGCONT (or any name kill(1) knows). */
    void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                System.err.println("chaos: kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            System.err.println("chaos: kill -" + signal + " " + this + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
