package io.tessera.core.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BodyBufferBudgetTest {

    @Test
    void bodiesThatDoNotFitBesideThoseBeingReadAreTurnedAwayUntilOneIsDone() {
        BodyBufferBudget budget = new BodyBufferBudget(10_000);
        BodyBufferBudget.Reservation first = budget.tryReserve(6_000);
        assertThat(first).isNotNull();
        assertThat(budget.tryReserve(6_000)).as("6,000 more bytes do not fit beside the first").isNull();
        BodyBufferBudget.Reservation small = budget.tryReserve(4_000);
        assertThat(small).isNotNull();
        first.close();
        first.close();
        BodyBufferBudget.Reservation again = budget.tryReserve(6_000);
        assertThat(again).as("released once, however often closed").isNotNull();
        assertThat(budget.tryReserve(1)).isNull();
        small.close();
        assertThat(budget.tryReserve(50_000)).as("a body larger than the whole budget needs all of it").isNull();
        again.close();
        assertThat(budget.tryReserve(50_000)).isNotNull();
    }
}
