package io.tessera.executor.device;

import io.tessera.executor.handler.ChildEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a vendor's command-line tool ({@code nvidia-smi}, {@code rocm-smi}, {@code npu-smi}) and
 * returns what it printed. A missing tool, a failing tool and a tool that hangs all give nothing,
 * with a log line that says which it was: the agent carries on with what it has.
 */
public final class ToolRunner {

    private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);

    private final Duration timeout;

    public ToolRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** What a tool printed, or why it printed nothing usable. */
    public record Result(String output, String failure, boolean notRun) {
        static Result of(String output) {
            return new Result(output, null, false);
        }

        static Result failed(String why) {
            return new Result(null, why, false);
        }

        public Optional<String> value() {
            return Optional.ofNullable(output);
        }
    }

    /**
     * @param what    what the output is for, for the log ({@code "no NVIDIA GPUs detected"})
     * @param command the executable and its arguments
     */
    public Optional<String> run(String what, List<String> command) {
        Result result = attempt(command);
        if (result.notRun()) {
            log.info("{}: {}", what, result.failure());
        } else if (result.failure() != null) {
            log.warn("{}: {}", what, result.failure());
        }
        return result.value();
    }

    /**
     * Runs the tool without logging: the caller decides what a failure is worth saying, and how often.
     * The output goes through a temporary file, so that a long answer ({@code dmesg}) cannot fill a
     * pipe and stall the tool.
     */
    public Result attempt(List<String> command) {
        String executable = command.get(0);
        Path output;
        try {
            output = Files.createTempFile("tessera-tool-", ".out");
        } catch (IOException e) {
            return Result.failed("cannot make a file for the output of " + executable + " (" + e.getMessage() + ")");
        }
        try {
            return attempt(command, executable, output);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                log.debug("cannot delete {}", output, e);
            }
        }
    }

    private Result attempt(List<String> command, String executable, Path output) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            ChildEnvironment.strip(builder.environment());
            process = builder.start();
        } catch (IOException e) {
            return new Result(null, "cannot run " + executable + " (" + e.getMessage() + ")", true);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return Result.failed(executable + " did not answer within " + timeout);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                return Result.failed(executable + " exited with " + process.exitValue() + ": " + abbreviate(printed.strip()));
            }
            return Result.of(printed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Result.failed("interrupted while " + executable + " ran");
        } catch (IOException e) {
            return Result.failed("cannot read the output of " + executable + " (" + e.getMessage() + ")");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
