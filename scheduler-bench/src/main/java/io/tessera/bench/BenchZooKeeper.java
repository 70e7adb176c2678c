package io.tessera.bench;

import org.apache.zookeeper.server.ZooKeeperServerMain;

/**
 * ZooKeeper's own standalone server ({@link ZooKeeperServerMain} with a zoo.cfg), which exits when
 * the benchmark that started it does: {@code BenchZooKeeper PARENT_PID ZOO_CFG}.
 */
public final class BenchZooKeeper {

    private BenchZooKeeper() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BenchZooKeeper PARENT_PID ZOO_CFG");
            System.exit(2);
        }
        ProcessHandle.of(Long.parseLong(args[0])).ifPresentOrElse(
                p -> p.onExit().thenRun(BenchZooKeeper::parentGone), BenchZooKeeper::parentGone);
        ZooKeeperServerMain.main(new String[] {args[1]});
    }

    private static void parentGone() {
        System.err.println("BenchZooKeeper: the benchmark is gone, exiting");
        System.exit(3);
    }
}
