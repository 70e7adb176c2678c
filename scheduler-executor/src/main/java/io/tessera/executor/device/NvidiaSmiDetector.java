package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.executor.handler.ChildEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nvidia-smi} once and parses its answer. A missing tool, a failing tool and a tool
 * that hangs all mean "no NVIDIA GPUs detected": the agent still starts, and says why in its log.
 */
public final class NvidiaSmiDetector {

    static final List<String> QUERY = List.of("--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits");
    private static final Logger log = LoggerFactory.getLogger(NvidiaSmiDetector.class);

    private final String executable;
    private final Duration timeout;

    public NvidiaSmiDetector(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    public List<Device> detect() {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
            ChildEnvironment.strip(builder.environment());
            process = builder.start();
        } catch (IOException e) {
            log.info("no NVIDIA GPUs detected: cannot run {} ({})", executable, e.getMessage());
            return List.of();
        }
        try {
            process.getOutputStream().close();
            // The output of even a 16-GPU box is far below a pipe buffer, so reading after exit cannot block the tool.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("no NVIDIA GPUs detected: {} did not answer within {}", executable, timeout);
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return List.of();
            }
            String output = read(process.getInputStream());
            if (process.exitValue() != 0) {
                log.warn("no NVIDIA GPUs detected: {} exited with {}: {}", executable, process.exitValue(), output.strip());
                return List.of();
            }
            List<Device> devices = NvidiaSmiParser.parse(output);
            log.info("detected {} NVIDIA GPU(s)", devices.size());
            return devices;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return List.of();
        } catch (IOException e) {
            log.warn("no NVIDIA GPUs detected: cannot read the output of {} ({})", executable, e.getMessage());
            return List.of();
        }
    }

    private List<String> command() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(executable), QUERY.stream()).toList();
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
