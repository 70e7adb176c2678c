package io.tessera.executor.cli;

import io.tessera.core.validation.HostPort;
import io.tessera.core.validation.ValidationException;
import io.tessera.executor.config.AcceleratorSpec;
import io.tessera.executor.config.AgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The standalone agent's command line, turned into an {@link AgentConfig}. */
public final class AgentOptions {

    public static final String SECRET_ENV = "TESSERA_CLUSTER_SECRET";
    private static final Logger log = LoggerFactory.getLogger(AgentOptions.class);
    public static final String PREVIOUS_SECRET_ENV = "TESSERA_CLUSTER_PREVIOUS_SECRET";
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
                                            (default: the TESSERA_CLUSTER_SECRET environment variable).
                                            Visible in ps: prefer --secret-file or the variable
              --secret-file FILE            read the cluster secret from FILE (trimmed), e.g. one made with
                                            chmod 600; warns when others may read it
              --previous-secret SECRET      during a rotation, a second accepted secret (the new one before the
                                            switch, the old one after it); this agent signs with --secret
                                            (default: the TESSERA_CLUSTER_PREVIOUS_SECRET environment variable)
              --max-result-batch-bytes N    largest result report sent to an admin; a larger burst goes as
                                            several reports. At most the admins' tessera.executor-results.
                                            max-body-bytes (default 4194304, as theirs)
              --zookeeper-auth-file FILE    ZooKeeper digest credentials USER:PASSWORD, the same as the admin's
                                            tessera.zookeeper.auth (default: the TESSERA_ZOOKEEPER_AUTH
                                            environment variable, else derived from the cluster secret)
              --accelerator KIND:VENDOR:MODEL:MEMORY_MB:COUNT
                                            declare COUNT devices, e.g. GPU:nvidia:H100:81559:2; repeatable.
                                            Adds to what nvidia-smi, rocm-smi and npu-smi detect
                                            (numbered after it)
              --no-detect                   do not run nvidia-smi, rocm-smi or npu-smi: only declared devices count
              --health-interval SECONDS     how often GPU health (ECC errors, retired pages, remapped rows)
                                            and use are read again; 0 turns it off (default 30)
              --xid-source COMMAND          the command whose output is the kernel log NVIDIA Xid reports are
                                            read from at each health reading, e.g. 'journalctl -k -b';
                                            'off' turns it off (default dmesg)
              --allow-command               enable the built-in 'command' handler, which runs job params
                                            as a command line on this machine (off by default)
              --slots N                     shards this agent holds at once: waiting for their fire time,
                                            running or finishing (default 1024); a thread is made only
                                            for a running handler, up to N
              --admin-url URL               admin base URL results go to when a trigger names none
              --label KEY=VALUE             a label on the executor card; repeatable
              --session-timeout SECONDS     ZooKeeper session timeout (default 30)
              --log-retention-days DAYS     remove shard logs older than this (default 7)
              --tls-cert FILE               serve the endpoint over TLS (https) with this PEM certificate chain,
                                            leaf first; needs --tls-key. The card then tells admins to use https
              --tls-key FILE                the PEM private key (PKCS#8, 'BEGIN PRIVATE KEY') of --tls-cert
              --tls-client-ca FILE          with TLS, require a client certificate issued by these PEM CA
                                            certificates (mutual TLS); the admin sets tessera.tls.client-cert
              --tls-trust-ca FILE           PEM CA certificate(s) to trust for an https admin, instead of the
                                            JDK's default trust store
              --help                        print this help and exit
            """;

    private AgentOptions() {
    }

    /** Null when {@code --help} was asked. */
    public static AgentConfig parse(List<String> args, Map<String, String> env) throws UsageException {
        AgentConfig.Builder builder = AgentConfig.builder();
        String secret = env.get(SECRET_ENV);
        boolean secretOnCommandLine = false;
        Path secretFile = null;
        String previousSecret = env.get(PREVIOUS_SECRET_ENV);
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
                    case "--secret-file" -> {
                        if (secretFile != null) {
                            throw new UsageException("--secret-file is given twice");
                        }
                        secretFile = Path.of(valueOf(args, i, name, inline));
                        if (inline == null) {
                            i++;
                        }
                    }
                    case "--zookeeper", "--namespace", "--group", "--host", "--port", "--data-dir", "--secret",
                         "--accelerator", "--slots", "--admin-url", "--label", "--session-timeout",
                         "--tls-cert", "--tls-key", "--tls-client-ca", "--tls-trust-ca",
                         "--log-retention-days", "--health-interval", "--xid-source", "--zookeeper-auth-file" -> {
                        String value = inline;
                        if (value == null) {
                            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                                throw new UsageException(name + " needs a value");
                            }
                            value = args.get(++i);
                        }
                        if (name.equals("--secret")) {
                            secret = value;
                            secretOnCommandLine = true;
                        } else if (name.equals("--zookeeper-auth-file")) {
                            zookeeperAuth = SecretFile.read(name, Path.of(value));
                        } else {
                            apply(builder, name, value);
                        }
                    }
                    case "--previous-secret", "--max-result-batch-bytes" -> {
                        String value = valueOf(args, i, name, inline);
                        if (inline == null) {
                            i++;
                        }
                        if (name.equals("--previous-secret")) {
                            previousSecret = value;
                        } else {
                            builder.maxResultBatchBytes(integer(name, value));
                        }
                    }
                    default -> throw new UsageException("unknown option '" + arg + "' (see --help)");
                }
            }
            if (secretFile != null) {
                if (secretOnCommandLine) {
                    throw new UsageException("give the cluster secret either with --secret or with --secret-file, not both");
                }
                secret = SecretFile.read("--secret-file", secretFile);
            } else if (secretOnCommandLine) {
                log.warn("the cluster secret was given with --secret, which every user of this machine can read in ps;"
                        + " use --secret-file or the " + SECRET_ENV + " environment variable");
            }
            builder.previousSecret(previousSecret);
            return builder.secret(secret).zookeeperAuth(zookeeperAuth).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String valueOf(List<String> args, int i, String name, String inline) throws UsageException {
        if (inline != null) {
            return inline;
        }
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        return args.get(i + 1);
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
            case "--tls-cert" -> builder.tlsCert(Path.of(value));
            case "--tls-key" -> builder.tlsKey(Path.of(value));
            case "--tls-client-ca" -> builder.tlsClientCa(Path.of(value));
            case "--tls-trust-ca" -> builder.tlsTrustCa(Path.of(value));
            case "--health-interval" -> builder.healthInterval(Duration.ofSeconds(integer(name, value)));
            case "--xid-source" -> builder.xidSource(value);
            default -> throw new IllegalStateException(name);
        }
    }

    /** A credential kept in a file, so that it never shows in a process listing; one line, trimmed. */

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
