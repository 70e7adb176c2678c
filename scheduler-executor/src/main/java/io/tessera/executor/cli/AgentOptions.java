package io.tessera.executor.cli;

import io.tessera.core.validation.HostPort;
import io.tessera.core.validation.ValidationException;
import io.tessera.executor.config.AcceleratorSpec;
import io.tessera.executor.config.AgentConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The standalone agent's command line, turned into an {@link AgentConfig}. */
public final class AgentOptions {

    public static final String SECRET_ENV = "TESSERA_CLUSTER_SECRET";
    public static final String ZOOKEEPER_AUTH_ENV = "TESSERA_ZOOKEEPER_AUTH";

    static final String HELP = """
            Usage: java -jar scheduler-agent.jar [options]

            Runs a Tessera executor agent: it registers in ZooKeeper with this machine's accelerators,
            receives signed shard triggers over HTTP, runs them exactly once and reports their results.

            Options:
              --zookeeper HOST:PORT[,...]   ZooKeeper ensemble to register in (default 127.0.0.1:2181)
              --namespace NAME              ZooKeeper namespace shared with the admin (default tessera)
              --group NAME                  executor group jobs are addressed to (default default)
              --host HOST                   host name or IP address the admin calls this agent on: letters, digits,
                                            '-' and '.', or an IPv6 address (default: this machine's address)
              --port PORT                   port to listen on; 0 picks a free one (default 9999)
              --data-dir DIR                where shard logs and the result spool live (default ./tessera-agent)
              --secret SECRET               cluster secret, at least 16 characters; signs every request
                                            (default: the TESSERA_CLUSTER_SECRET environment variable)
              --zookeeper-auth-file FILE    ZooKeeper digest credentials USER:PASSWORD, the same as the admin's
                                            tessera.zookeeper.auth (default: the TESSERA_ZOOKEEPER_AUTH
                                            environment variable, else derived from the cluster secret)
              --accelerator KIND:VENDOR:MODEL:MEMORY_MB:COUNT
                                            declare COUNT devices, e.g. GPU:nvidia:H100:81559:2; repeatable.
                                            Adds to what nvidia-smi detects (numbered after it)
              --no-detect                   do not run nvidia-smi: only declared devices count
              --allow-command               enable the built-in 'command' handler, which runs job params
                                            as a command line on this machine (off by default)
              --slots N                     shards this agent holds at once: waiting for their fire time,
                                            running or finishing (default 1024); a thread is made only
                                            for a running handler, up to N
              --admin-url URL               admin base URL results go to when a trigger names none
              --label KEY=VALUE             a label on the executor card; repeatable
              --session-timeout SECONDS     ZooKeeper session timeout (default 30)
              --log-retention-days DAYS     remove shard logs older than this (default 7)
              --help                        print this help and exit
            """;

    private AgentOptions() {
    }

    /** Null when {@code --help} was asked. */
    public static AgentConfig parse(List<String> args, Map<String, String> env) throws UsageException {
        AgentConfig.Builder builder = AgentConfig.builder();
        String secret = env.get(SECRET_ENV);
        String zookeeperAuth = env.get(ZOOKEEPER_AUTH_ENV);
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String name = arg;
                String inline = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    inline = arg.substring(eq + 1);
                }
                switch (name) {
                    case "--help", "-h" -> {
                        return null;
                    }
                    case "--no-detect" -> builder.detectDevices(false);
                    case "--allow-command" -> builder.allowCommand(true);
                    case "--zookeeper", "--namespace", "--group", "--host", "--port", "--data-dir", "--secret",
                         "--accelerator", "--slots", "--admin-url", "--label", "--session-timeout",
                         "--log-retention-days", "--zookeeper-auth-file" -> {
                        String value = inline;
                        if (value == null) {
                            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                                throw new UsageException(name + " needs a value");
                            }
                            value = args.get(++i);
                        }
                        if (name.equals("--secret")) {
                            secret = value;
                        } else if (name.equals("--zookeeper-auth-file")) {
                            zookeeperAuth = readFile(name, value);
                        } else {
                            apply(builder, name, value);
                        }
                    }
                    default -> throw new UsageException("unknown option '" + arg + "' (see --help)");
                }
            }
            return builder.secret(secret).zookeeperAuth(zookeeperAuth).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static void apply(AgentConfig.Builder builder, String name, String value) throws UsageException {
        switch (name) {
            case "--zookeeper" -> builder.zookeeper(value);
            case "--namespace" -> builder.namespace(value);
            case "--group" -> builder.group(value);
            case "--host" -> builder.advertisedHost(host(value));
            case "--port" -> builder.port(port(integer(name, value)));
            case "--data-dir" -> builder.dataDir(Path.of(value));
            case "--accelerator" -> builder.accelerator(AcceleratorSpec.parse(value));
            case "--slots" -> builder.slots(integer(name, value));
            case "--admin-url" -> builder.adminUrl(value);
            case "--label" -> {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--label needs KEY=VALUE, got '" + value + "'");
                }
                builder.label(value.substring(0, eq), value.substring(eq + 1));
            }
            case "--session-timeout" -> builder.sessionTimeout(Duration.ofSeconds(integer(name, value)));
            case "--log-retention-days" -> builder.logRetention(Duration.ofDays(integer(name, value)));
            default -> throw new IllegalStateException(name);
        }
    }

    /** A credential kept in a file, so that it never shows in a process listing; one line, trimmed. */
    private static String readFile(String name, String file) throws UsageException {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new UsageException(name + " cannot read '" + file + "': " + e.getMessage());
        }
    }

    /** The admin calls the agent at http://HOST:PORT, so HOST must be something a URI can carry. */
    private static String host(String value) throws UsageException {
        try {
            return HostPort.host("--host", value);
        } catch (ValidationException e) {
            throw new UsageException("--host " + e.reason());
        }
    }

    private static int port(int value) throws UsageException {
        if (value < 0 || value > 65535) {
            throw new UsageException("--port must be 0 (any free port) to 65535, was " + value);
        }
        return value;
    }

    private static int integer(String name, String value) throws UsageException {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got '" + value + "'");
        }
    }
}
