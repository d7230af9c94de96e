package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.flows.FlowDelta;
import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowLedgerTest {

    private final FlowLedger ledger = new FlowLedger();

    @Test
    void firstBatchIsTheWholeSetThenOnlyChangesGo() {
        ledger.offer(new FlowDelta(List.of(flow(1, 1), flow(2, 1)), List.of()), 1, 10);
        FlowLedger.Batch first = ledger.take().orElseThrow();
        assertThat(first.full()).isTrue();
        assertThat(first.flows()).containsExactlyInAnyOrder(flow(1, 1), flow(2, 1));
        ledger.acknowledged(first);
        assertThat(ledger.take()).isEmpty();

        // Flow 1 changes its output (same key), flow 2 goes, flow 3 comes.
        ledger.offer(new FlowDelta(List.of(flow(1, 5), flow(3, 1)), List.of(flow(1, 1), flow(2, 1))), 2, 11);
        FlowLedger.Batch second = ledger.take().orElseThrow();
        assertThat(second.full()).isFalse();
        assertThat(second.upserts()).containsExactlyInAnyOrder(flow(1, 5), flow(3, 1));
        assertThat(second.removals()).containsExactly(flow(2, 1).key());
        assertThat(second.desiredCount()).isEqualTo(2);
        assertThat(second.revision()).isEqualTo(11);
    }

    @Test
    void convergenceCountsOnlyAcknowledgedGenerations() {
        ledger.offer(new FlowDelta(List.of(flow(1, 1)), List.of()), 1, 10);
        assertThat(ledger.caughtUpTo(0)).isTrue();
        assertThat(ledger.caughtUpTo(1)).isFalse();
        FlowLedger.Batch b = ledger.take().orElseThrow();
        ledger.offer(new FlowDelta(List.of(flow(2, 1)), List.of()), 3, 12);
        assertThat(ledger.caughtUpTo(1)).as("in flight").isFalse();
        ledger.acknowledged(b);
        assertThat(ledger.caughtUpTo(2)).as("generation 3 is not taken yet, 1 is acknowledged").isTrue();
        assertThat(ledger.caughtUpTo(3)).isFalse();
        assertThat(ledger.appliedRevision()).as("what the acknowledged batch carried; 12 is not sent yet")
                .isEqualTo(10);
    }

    @Test
    void aFailedBatchMakesTheNextOneFullAndKeepsItsGenerationPending() {
        ledger.offer(new FlowDelta(List.of(flow(1, 1)), List.of()), 1, 10);
        ledger.acknowledged(ledger.take().orElseThrow());
        ledger.offer(new FlowDelta(List.of(flow(2, 1)), List.of()), 2, 11);
        ledger.failed(ledger.take().orElseThrow());
        assertThat(ledger.caughtUpTo(2)).isFalse();
        FlowLedger.Batch retry = ledger.take().orElseThrow();
        assertThat(retry.full()).isTrue();
        assertThat(retry.flows()).containsExactlyInAnyOrder(flow(1, 1), flow(2, 1));
        ledger.acknowledged(retry);
        assertThat(ledger.caughtUpTo(2)).isTrue();
    }

    @Test
    void anAcknowledgementFromBeforeAReconnectionDoesNotCount() {
        ledger.offer(new FlowDelta(List.of(flow(1, 1)), List.of()), 1, 10);
        FlowLedger.Batch old = ledger.take().orElseThrow();
        ledger.resync();
        ledger.acknowledged(old);
        assertThat(ledger.caughtUpTo(1)).isFalse();
        assertThat(ledger.take()).hasValueSatisfying(b -> assertThat(b.full()).isTrue());
    }

    @Test
    void anEmptyOfferAdvancesTheAppliedRevisionOfAnIdleHost() {
        ledger.offer(new FlowDelta(List.of(flow(1, 1)), List.of()), 1, 10);
        ledger.offer(FlowDelta.EMPTY, 2, 11);
        assertThat(ledger.appliedRevision()).as("not installed yet").isZero();
        ledger.acknowledged(ledger.take().orElseThrow());
        ledger.offer(FlowDelta.EMPTY, 3, 14);
        assertThat(ledger.appliedRevision()).isEqualTo(14);
    }

    @Test
    void baselineReplacesEverything() {
        ledger.offer(new FlowDelta(List.of(flow(1, 1)), List.of()), 1, 10);
        ledger.acknowledged(ledger.take().orElseThrow());
        ledger.baseline(List.of(flow(7, 1)), 2, 11);
        FlowLedger.Batch b = ledger.take().orElseThrow();
        assertThat(b.full()).isTrue();
        assertThat(b.flows()).containsExactly(flow(7, 1));
        assertThat(ledger.desired()).containsExactly(flow(7, 1));
    }

    private static FlowRule flow(int port, int out) {
        return new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, port).build(),
                List.of(Instruction.apply(Action.output(out))), 0x1L);
    }
}
