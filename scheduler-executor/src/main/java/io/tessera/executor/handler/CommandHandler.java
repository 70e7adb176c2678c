package io.tessera.executor.handler;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.executor.device.DeviceVisibility;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The built-in {@code command} handler: runs the job's params as a command line, without a shell,
 * with the agent's environment less Tessera's own variables ({@link ChildEnvironment}) plus the
 * shard's identity, devices and rendezvous, output into the shard's
 * log. Exit code 0 is success. An interrupt (kill, preemption, timeout, lost session) ends the whole
 * process tree: SIGTERM, then SIGKILL after the agent's kill grace, or after a preemption's own grace.
 */
public final class CommandHandler implements ShardHandler {

    private final Duration killGrace;
    private final DeviceVisibility visibility;

    /** Devices are made visible by index, as {@code CUDA_VISIBLE_DEVICES}. */
    public CommandHandler(Duration killGrace) {
        this(killGrace, null);
    }

    /** Devices are made visible with each vendor's variable, MIG instances by UUID; null as above. */
    public CommandHandler(Duration killGrace, DeviceVisibility visibility) {
        this.killGrace = killGrace;
        this.visibility = visibility;
    }

    @Override
    public HandlerResult handle(ShardContext context) throws IOException {
        List<String> command;
        try {
            command = ShellWords.split(context.params());
        } catch (IllegalArgumentException e) {
            return HandlerResult.failed("bad command line: " + e.getMessage());
        }
        if (command.isEmpty()) {
            return HandlerResult.failed("the job's params hold no command to run");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(context.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        ChildEnvironment.strip(builder.environment());
        builder.environment().putAll(environment(context));
        if (visibility != null) {
            Map<String, String> devices = visibility.variables(context.devices());
            builder.environment().putAll(devices);
            if (!context.devices().isEmpty()) {
                context.log().info("devices {}; {}", visibility.describe(context.devices()), devices);
            }
        }
        context.log().info("running {}", command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return HandlerResult.failed("cannot start " + command.get(0) + ": " + e.getMessage());
        }
        Process tether = tether(process, context);
        try {
            int exit = process.waitFor();
            return exit == 0
                    ? new HandlerResult(RunStatus.SUCCEEDED, "exit code 0", 0)
                    : new HandlerResult(RunStatus.FAILED, "exit code " + exit, exit);
        } catch (InterruptedException e) {
            Duration grace = context.stopGrace().orElse(killGrace);
            Optional<String> preemption = context.preemptionReason();
            if (preemption.isPresent()) {
                context.log().info("preempted: {}; SIGTERM, SIGKILL after {} s", preemption.get(), seconds(grace));
            }
            context.log().info("stopping process {} and its descendants", process.pid());
            // A later stop (a kill, a lost session, the agent closing) interrupts again: it cannot wait a long grace.
            ProcessTree.destroy(process.toHandle(), grace, killGrace);
            Integer exit = process.isAlive() ? null : process.exitValue();
            return new HandlerResult(RunStatus.CANCELLED, "process tree stopped", exit);
        } finally {
            if (tether != null) {
                tether.destroyForcibly(); // SIGKILL: it goes without acting
            }
        }
    }

    /**
     * A small shell that waits on a pipe from this JVM and, when the pipe closes without the agent
     * having ended it first (the agent died, even by SIGKILL), stops and kills the command's process
     * tree. Without it a killed agent's commands run on, unclaimed, beside the attempt that replaces
     * them. Null where there is no POSIX shell.
     */
    private static Process tether(Process command, ShardContext context) {
        if (System.getProperty("os.name").startsWith("Windows")) {
            return null;
        }
        String script = "read -r _; stop() { kill -STOP \"$1\" 2>/dev/null;"
                + " for child in $(pgrep -P \"$1\"); do stop \"$child\"; done; kill -KILL \"$1\" 2>/dev/null; };"
                + " stop \"$0\"";
        try {
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", script, Long.toString(command.pid()));
            ChildEnvironment.strip(builder.environment());
            return builder
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            context.log().info("no tether for process {} ({}): it would outlive a killed agent", command.pid(),
                    e.getMessage());
            return null;
        }
    }

    /** The variables a shard's process gets, on top of the agent's environment less {@link ChildEnvironment}'s. */
    public static Map<String, String> environment(ShardContext context) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("TESSERA_RUN_ID", Long.toString(context.runId()));
        env.put("TESSERA_JOB", context.jobName());
        env.put("TESSERA_SHARD_INDEX", Integer.toString(context.shardIndex()));
        env.put("TESSERA_SHARD_TOTAL", Integer.toString(context.shardTotal()));
        env.put("TESSERA_ATTEMPT", Integer.toString(context.attempt()));
        env.put("TESSERA_FENCING_TOKEN", Long.toString(context.fencingToken()));
        env.put("CUDA_VISIBLE_DEVICES", context.devices().stream()
                .sorted(Comparator.comparing(DeviceId::kind).thenComparingInt(DeviceId::index))
                .map(d -> Integer.toString(d.index())).collect(Collectors.joining(",")));
        if (context.shardTotal() > 1) {
            env.put("RANK", Integer.toString(context.shardIndex()));
            env.put("WORLD_SIZE", Integer.toString(context.shardTotal()));
            TriggerRequest.Rendezvous rendezvous = context.rendezvous();
            env.put("LOCAL_RANK", Integer.toString(rendezvous == null ? 0 : rendezvous.localRank()));
            if (rendezvous != null) {
                env.put("MASTER_ADDR", rendezvous.masterAddr());
                env.put("MASTER_PORT", Integer.toString(rendezvous.masterPort()));
            }
        }
        return env;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? Long.toString(duration.toSeconds())
                : java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
