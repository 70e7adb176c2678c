package io.tessera.bench.chaos;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The isolated agent's network as the chaos suite wires it: reachable both ways through the veth pair,
 * the delay's qdisc on both ends while it lasts, and nothing left behind after close. Skipped where the
 * machine refuses network namespaces (not root), as the suite then skips the delay fault.
 */
class ChaosNetworkTest {

    @Test
    void theIsolatedAgentAndTheHostReachEachOtherAndTheDelaySitsOnBothEndsUntilRemoved() throws Exception {
        ChaosNetwork network;
        try {
            network = ChaosNetwork.create();
        } catch (IOException e) {
            assumeTrue(false, "this machine refuses a network namespace: " + e.getMessage());
            return;
        }
        String namespace = namespaceOf(network);
        try (network) {
            assertThat(output("ip", "netns", "list")).contains(namespace);

            try (ServerSocket host = new ServerSocket(0, 5, InetAddress.getByName(network.hostAddress()))) {
                Process inside = new ProcessBuilder(network.inside(List.of("bash", "-c",
                        "exec 3<>/dev/tcp/" + network.hostAddress() + "/" + host.getLocalPort() + " && echo reached >&3")))
                        .redirectErrorStream(true).start();
                try (Socket accepted = host.accept(); InputStream in = accepted.getInputStream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("reached\n");
                }
                assertThat(inside.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(inside.exitValue()).isZero();
            }
            Process agent = new ProcessBuilder(network.inside(List.of("bash", "-c",
                    "ip -o addr show"))).redirectErrorStream(true).start();
            assertThat(new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .as("the namespace holds the agent's address and nothing of the host's")
                    .contains(network.agentAddress()).doesNotContain(network.hostAddress() + "/");

            if (network.delayKind() == null) {
                System.out.println("ChaosNetworkTest: no delay here: " + network.delayRefusal());
            } else {
                String qdisc = network.delayKind() == ChaosNetwork.DelayKind.NETEM ? "netem" : "tbf";
                network.delay();
                assertThat(output("tc", "-n", namespace, "qdisc", "show")).contains(qdisc);
                assertThat(output("tc", "qdisc", "show")).contains(qdisc);
                network.undelay();
                assertThat(output("tc", "-n", namespace, "qdisc", "show")).doesNotContain(qdisc);
            }
        }
        network.close();
        assertThat(output("ip", "netns", "list")).doesNotContain(namespace);
    }

    private static String namespaceOf(ChaosNetwork network) {
        return network.toString().substring(0, network.toString().indexOf(' '));
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
