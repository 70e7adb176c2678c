package io.tessera.executor.cli;

import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar scheduler-agent.jar}: the standalone agent. Runs until SIGTERM/SIGINT. */
public final class AgentMain {

    static final int USAGE = 2;
    static final int FAILED = 1;

    private AgentMain() {
    }

    /** The standalone jar's logging; a classpath resource so that it never shadows an embedding application's logback.xml. */
    static final String LOGBACK_CONFIG = "tessera-agent-logback.xml";

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        AgentConfig config;
        try {
            config = AgentOptions.parse(Arrays.asList(args), System.getenv());
        } catch (UsageException e) {
            System.err.println("scheduler-agent: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(USAGE);
            return;
        }
        if (config == null) {
            System.out.print(AgentOptions.HELP);
            return;
        }
        run(config, System.out);
    }

    private static void run(AgentConfig config, PrintStream out) throws InterruptedException {
        TesseraAgent agent = new TesseraAgent(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "tessera-agent-shutdown"));
        try {
            agent.start();
        } catch (Exception e) {
            System.err.println("scheduler-agent: cannot start: " + e.getMessage());
            agent.close();
            System.exit(FAILED);
            return;
        }
        out.println("tessera agent " + agent.executorId() + " listening on " + agent.address());
        out.flush();
        stopped.await();
    }
}
