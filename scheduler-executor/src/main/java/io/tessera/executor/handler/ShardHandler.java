package io.tessera.executor.handler;

/**
 * Runs one shard. Return a result; throwing marks the shard FAILED with the exception's message.
 * Long-running handlers should check {@link ShardContext#isCancelled()} or respond to interrupts:
 * a kill, a preemption, a timeout or a lost ZooKeeper session interrupts the thread. A preempted
 * handler ({@link ShardContext#isPreempted()}) should save what lets its next attempt resume, then return.
 */
@FunctionalInterface
public interface ShardHandler {

    HandlerResult handle(ShardContext context) throws Exception;
}
