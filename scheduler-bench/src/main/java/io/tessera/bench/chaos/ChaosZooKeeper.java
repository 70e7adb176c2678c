package io.tessera.bench.chaos;

import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/**
 * One server of the chaos suite's ensemble: ZooKeeper's own {@link QuorumPeerMain} with a zoo.cfg,
 * exiting when the suite that started it is gone: {@code ChaosZooKeeper PARENT_PID ZOO_CFG}.
 */
public final class ChaosZooKeeper {

    private ChaosZooKeeper() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ChaosZooKeeper PARENT_PID ZOO_CFG");
            System.exit(2);
        }
        ProcessHandle.of(Long.parseLong(args[0])).ifPresentOrElse(
                p -> p.onExit().thenRun(ChaosZooKeeper::parentGone), ChaosZooKeeper::parentGone);
        QuorumPeerMain.main(new String[] {args[1]});
    }

    private static void parentGone() {
        System.err.println("ChaosZooKeeper: the chaos suite is gone, exiting");
        Runtime.getRuntime().halt(3);
    }
}
