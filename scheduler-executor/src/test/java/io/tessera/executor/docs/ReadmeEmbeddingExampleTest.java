package io.tessera.executor.docs;

import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The top-level README's "Embedding the agent" example, as written, against a real ZooKeeper. */
class ReadmeEmbeddingExampleTest {

    @Test
    void theReadmeExampleStartsAnAgentThatRegistersItsHandler(@TempDir Path dataDir) throws Exception {
        try (TestingServer zookeeper = new TestingServer()) {
            String zk = zookeeper.getConnectString();
            // --- as in README.md, with the connect string, secret and data dir of this test ---
            TesseraAgent agent = new TesseraAgent(AgentConfig.builder()
                    .zookeeper(zk)
                    .group("resize-workers")
                    .secret("readme-example-secret-0123456789")
                    .dataDir(dataDir)
                    .port(0)
                    .build());
            agent.handlers().register("resize", ctx -> {
                ctx.log().info("resizing shard {} of {}", ctx.shardIndex(), ctx.shardTotal());
                return HandlerResult.succeeded();
            });
            agent.start();   // and agent.close() on shutdown
            // ---
            try {
                assertThat(agent.card().group()).isEqualTo("resize-workers");
                assertThat(agent.handlers().names()).contains("resize");
            } finally {
                agent.close();
            }
        }
    }
}
