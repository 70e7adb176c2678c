package io.tessera.executor.support;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper for all tests of a class, and a client that looks at the agents' nodes the way
 * the admin does ({@link Agents#observer}). Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class SharedZooKeeper implements BeforeAllCallback, AfterAllCallback {

    private TestingServer server;
    private CuratorFramework observer;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = new TestingServer();
        observer = Agents.observer(server);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (observer != null) {
            observer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    public TestingServer server() {
        return server;
    }

    public CuratorFramework observer() {
        return observer;
    }
}
