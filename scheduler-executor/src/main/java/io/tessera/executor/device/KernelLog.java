package io.tessera.executor.device;

import io.tessera.executor.handler.ShellWords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the agent reads the kernel log for the NVIDIA driver's Xid reports: a command whose output is
 * the log of this boot, {@code dmesg} unless configured ({@code journalctl -k -b -o short-monotonic},
 * {@code cat /var/log/kern.log}), or off. The whole of what it prints is read each time, so a report
 * counts for as long as the log holds it.
 *
 * <p>{@code /dev/kmsg} is not offered as a source: reading it never ends (it waits for the next
 * message), which does not fit a reading every interval.
 *
 * <p>A source that cannot be read (most often: {@code dmesg} when the agent is not root and
 * {@code kernel.dmesg_restrict} is set) is said once in the log, with what to do, and once more when
 * it can be read again; the agent carries on with what {@code nvidia-smi} tells.
 */
public final class KernelLog {

    public static final String DEFAULT = "dmesg";
    public static final String OFF = "off";
    private static final Logger log = LoggerFactory.getLogger(KernelLog.class);

    private final List<String> command;
    private final ToolRunner tools;
    private boolean failing;

    private KernelLog(List<String> command, Duration timeout) {
        this.command = command;
        this.tools = new ToolRunner(timeout);
    }

    /** @param source a command line ({@code dmesg}), or {@code off} */
    public static KernelLog of(String source, Duration timeout) {
        if (source == null || source.isBlank() || source.trim().equalsIgnoreCase(OFF)) {
            return off();
        }
        return new KernelLog(ShellWords.split(source.trim()), timeout);
    }

    public static KernelLog off() {
        return new KernelLog(null, Duration.ZERO);
    }

    public boolean enabled() {
        return command != null;
    }

    /** What the source printed, or empty when it is off or cannot be read now. */
    public synchronized Optional<String> read() {
        if (command == null) {
            return Optional.empty();
        }
        ToolRunner.Result result = tools.attempt(command);
        if (result.failure() != null) {
            if (!failing) {
                log.warn("Xid events not read from the kernel log: {}. GPU health comes from nvidia-smi alone until it can be;"
                        + " run the agent as root or with CAP_SYSLOG (or set kernel.dmesg_restrict=0), choose another source"
                        + " with --xid-source (e.g. 'journalctl -k -b'), or turn this off with --xid-source off",
                        result.failure());
                failing = true;
            }
            return Optional.empty();
        }
        if (failing) {
            log.info("Xid events are read from the kernel log ({}) again", String.join(" ", command));
            failing = false;
        }
        return result.value();
    }

    @Override
    public String toString() {
        return command == null ? OFF : String.join(" ", command);
    }
}
