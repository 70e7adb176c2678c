package io.tessera.admin.ui.dashboard;

import io.tessera.admin.engine.QueueUsage;
import io.tessera.core.placement.QueueQuota;
import io.tessera.core.placement.QuotaLimit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** What the dashboard's quota card is given, from the configured quotas and the engine's answer (or its lack of one). */
class DashboardQuotasTest {

    private static final List<QueueQuota> CONFIGURED = List.of(
            new QueueQuota("team-a", List.of(QuotaLimit.parse("GPU:8:*H100*")), true));

    @Test
    void withoutQuotasTheEngineIsNotAskedAndNothingIsShown() {
        DashboardSnapshot.Quotas quotas = DashboardLoader.quotas(List.of(), () -> {
            throw new AssertionError("asked the engine although no queue is configured");
        });
        assertThat(quotas).isEqualTo(DashboardSnapshot.Quotas.NONE);
    }

    @Test
    void theLeadersCountIsShownAsCounted() {
        List<QueueUsage> usage = List.of(new QueueUsage("team-a", true, List.of(new QueueUsage.Limit("GPU", "*H100*", 8, 9))));
        DashboardSnapshot.Quotas quotas = DashboardLoader.quotas(CONFIGURED,
                () -> CompletableFuture.completedFuture(Optional.of(usage)));
        assertThat(quotas.notCounted()).isNull();
        assertThat(quotas.rows()).containsExactly(new QuotaRow("team-a", true, "GPU *H100*", 8, 9, 1));
    }

    @Test
    void anEngineThatFailsToCountLeavesTheLimitsUncountedAndSaysWhy() {
        DashboardSnapshot.Quotas quotas = DashboardLoader.quotas(CONFIGURED,
                () -> CompletableFuture.failedFuture(new IllegalStateException("term ended")));
        assertThat(quotas.rows()).containsExactly(new QuotaRow("team-a", true, "GPU *H100*", 8, null, null));
        assertThat(quotas.notCounted()).startsWith("In use: not shown, counting failed").contains("term ended");
    }

    @Test
    void anEngineThatDoesNotAnswerInTimeLeavesTheLimitsUncounted() {
        DashboardSnapshot.Quotas quotas = DashboardLoader.quotas(CONFIGURED, CompletableFuture::new);
        assertThat(quotas.rows()).allSatisfy(row -> assertThat(row.counted()).isFalse());
        assertThat(quotas.notCounted()).isEqualTo("In use: not shown, the engine did not count it within 2 s");
    }
}
