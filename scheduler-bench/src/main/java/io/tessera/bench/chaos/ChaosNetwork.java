package io.tessera.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace for one agent, joined to the host by a veth pair, so that {@code tc} can slow
 * that agent's packets and nobody else's. The host end of the pair ({@link #hostAddress()}) is where
 * ZooKeeper and the admins are reached by every process, inside the namespace or not; the agent in the
 * namespace listens on {@link #agentAddress()}.
 *
 * <p>The delay prefers {@code netem} (a fixed delay with jitter). A kernel built without netem (as some
 * sandboxes are) still has {@code tbf}, whose queue, at a rate far below the agent's traffic, delays
 * every packet by up to its latency bound and drops what overflows: a slow link rather than a long one.
 * {@link #delayKind()} says which this machine allows, or null when it allows neither.
 */
final class ChaosNetwork implements AutoCloseable {

    /** How the delay is made on this machine. */
    enum DelayKind {
        NETEM("netem delay 400ms 100ms: every packet the agent sends or receives waits 400 ms ± 100 ms"),
        TBF("tbf rate 32kbit burst 1600 latency 800ms (no netem in this kernel): a link slower than the agent's traffic, whose packets queue up to 800 ms, the rest dropped");

        final String what;

        DelayKind(String what) {
            this.what = what;
        }
    }

    private final String namespace;
    private final String hostEnd;
    private final String agentEnd;
    private final String hostAddress;
    private final String agentAddress;
    private final DelayKind delayKind;
    private final String delayRefusal;
    private boolean delayed;
    private boolean closed;

    private ChaosNetwork(String namespace, String hostEnd, String agentEnd, String hostAddress, String agentAddress,
                         DelayKind delayKind, String delayRefusal) {
        this.namespace = namespace;
        this.hostEnd = hostEnd;
        this.agentEnd = agentEnd;
        this.hostAddress = hostAddress;
        this.agentAddress = agentAddress;
        this.delayKind = delayKind;
        this.delayRefusal = delayRefusal;
    }

    /**
     * Makes the namespace and the veth pair, named after this process's pid so that two suites on one
     * machine do not collide. Throws with the refusing command's words when this machine does not allow
     * it (not root, no {@code ip}, namespaces refused): the caller then runs every agent on the host.
     */
    static ChaosNetwork create() throws IOException {
        long pid = ProcessHandle.current().pid();
        String namespace = "tessera-chaos-" + pid;
        String hostEnd = "tch" + pid;
        String agentEnd = "tca" + pid;
        int subnet = (int) (pid % 64) * 4; // a /30 inside 10.213.<n>.0/24: .1 the host, .2 the agent
        String base = "10.213." + (pid / 64 % 250) + ".";
        String hostAddress = base + (subnet + 1);
        String agentAddress = base + (subnet + 2);
        run("ip", "netns", "add", namespace);
        try {
            run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", agentEnd);
            run("ip", "link", "set", agentEnd, "netns", namespace);
            run("ip", "addr", "add", hostAddress + "/30", "dev", hostEnd);
            run("ip", "link", "set", hostEnd, "up");
            run("ip", "-n", namespace, "addr", "add", agentAddress + "/30", "dev", agentEnd);
            run("ip", "-n", namespace, "link", "set", agentEnd, "up");
            run("ip", "-n", namespace, "link", "set", "lo", "up");
        } catch (IOException e) {
            quietly("ip", "link", "del", hostEnd);
            quietly("ip", "netns", "del", namespace);
            throw e;
        }
        DelayKind kind = null;
        String refusal = null;
        try {
            run("tc", "-n", namespace, "qdisc", "add", "dev", agentEnd, "root", "netem", "delay", "1ms");
            run("tc", "-n", namespace, "qdisc", "del", "dev", agentEnd, "root");
            kind = DelayKind.NETEM;
        } catch (IOException netem) {
            try {
                run("tc", "-n", namespace, "qdisc", "add", "dev", agentEnd, "root", "tbf", "rate", "1gbit", "burst", "64kb",
                        "latency", "10ms");
                run("tc", "-n", namespace, "qdisc", "del", "dev", agentEnd, "root");
                kind = DelayKind.TBF;
            } catch (IOException tbf) {
                refusal = "tc refused netem (" + netem.getMessage() + ") and tbf (" + tbf.getMessage() + ")";
            }
        }
        return new ChaosNetwork(namespace, hostEnd, agentEnd, hostAddress, agentAddress, kind, refusal);
    }

    /** The host's end: ZooKeeper and the admins are reached here, from the host and from the namespace. */
    String hostAddress() {
        return hostAddress;
    }

    /** The agent's address inside the namespace. */
    String agentAddress() {
        return agentAddress;
    }

    /** The command that runs {@code command} inside the namespace, keeping its pid. */
    List<String> inside(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return all;
    }

    /** The shell line that removes the namespace and its veth pair; for the watchdog. */
    String removalCommand() {
        return "ip netns del " + namespace + " 2>/dev/null";
    }

    /** How the delay is made here, or null when {@code tc} can make none (see {@link #delayRefusal()}). */
    DelayKind delayKind() {
        return delayKind;
    }

    String delayRefusal() {
        return delayRefusal;
    }

    /** Slows both directions: the namespace's end for what the agent sends, the host's end for what it receives. */
    synchronized void delay() throws IOException {
        if (delayKind == null) {
            throw new IOException(delayRefusal);
        }
        List<String> qdisc = delayKind == DelayKind.NETEM
                ? List.of("netem", "delay", "400ms", "100ms")
                : List.of("tbf", "rate", "32kbit", "burst", "1600", "latency", "800ms");
        List<String> agentSide = new ArrayList<>(List.of("tc", "-n", namespace, "qdisc", "add", "dev", agentEnd, "root"));
        agentSide.addAll(qdisc);
        List<String> hostSide = new ArrayList<>(List.of("tc", "qdisc", "add", "dev", hostEnd, "root"));
        hostSide.addAll(qdisc);
        run(agentSide.toArray(String[]::new));
        delayed = true;
        run(hostSide.toArray(String[]::new));
    }

    /** Removes the delay; a side that has none is left alone. */
    synchronized void undelay() {
        if (!delayed) {
            return;
        }
        delayed = false;
        quietly("tc", "-n", namespace, "qdisc", "del", "dev", agentEnd, "root");
        quietly("tc", "qdisc", "del", "dev", hostEnd, "root");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        undelay();
        // Deleting the namespace deletes the agent's end, and a veth pair goes with either of its ends.
        quietly("ip", "netns", "del", namespace);
    }

    @Override
    public String toString() {
        return namespace + " (" + hostAddress + " <-> " + agentAddress + ")";
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + (output.isEmpty() ? "" : ": " + output));
        }
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException e) {
            System.err.println("chaos: " + e.getMessage());
        }
    }
}
