package io.tessera.executor.device;

import io.tessera.executor.handler.ChildEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    /**
     * @param what    what the output is for, for the log ({@code "no NVIDIA GPUs detected"})
     * @param command the executable and its arguments
     */
    public Optional<String> run(String what, List<String> command) {
        String executable = command.get(0);
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            ChildEnvironment.strip(builder.environment());
            process = builder.start();
        } catch (IOException e) {
            log.info("{}: cannot run {} ({})", what, executable, e.getMessage());
            return Optional.empty();
        }
        try {
            process.getOutputStream().close();
            // The tools' answers are far below a pipe buffer, so reading after exit cannot block the tool.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: {} did not answer within {}", what, executable, timeout);
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return Optional.empty();
            }
            String output = read(process.getInputStream());
            if (process.exitValue() != 0) {
                log.warn("{}: {} exited with {}: {}", what, executable, process.exitValue(), output.strip());
                return Optional.empty();
            }
            return Optional.of(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Optional.empty();
        } catch (IOException e) {
            log.warn("{}: cannot read the output of {} ({})", what, executable, e.getMessage());
            return Optional.empty();
        }
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
