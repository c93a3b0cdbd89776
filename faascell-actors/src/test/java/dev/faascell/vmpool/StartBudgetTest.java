package dev.faascell.vmpool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start slots and the short line of starts waiting for one. */
class StartBudgetTest {
  @Test
  void startsBeyondTheSlotsWaitInOrderAndTakeSlotsAsTheyFree() {
    StartBudget budget = new StartBudget(2);
    for (String vm : new String[] {"a", "b", "c"}) {
      budget.enqueue(vm);
    }
    assertThat(budget.grantNext()).hasValue("a");
    assertThat(budget.grantNext()).hasValue("b");
    assertThat(budget.grantNext()).isEmpty();
    assertThat(budget.inUse()).isEqualTo(2);
    assertThat(budget.waiting()).isEqualTo(1);
    assertThat(budget.release("a")).isTrue();
    assertThat(budget.grantNext()).hasValue("c");
  }

  @Test
  void theLineHoldsOneStartPerSlot() {
    StartBudget budget = new StartBudget(2);
    budget.enqueue("a");
    assertThat(budget.canQueue()).isTrue();
    budget.enqueue("b");
    assertThat(budget.canQueue()).isFalse();
  }

  @Test
  void aRetryGoesAheadOfTheLineAndALeavingStartFreesNothing() {
    StartBudget budget = new StartBudget(1);
    budget.enqueue("a");
    assertThat(budget.grantNext()).hasValue("a");
    budget.enqueue("b");
    budget.release("a");
    budget.enqueueFirst("a-retry");
    assertThat(budget.grantNext()).hasValue("a-retry");
    assertThat(budget.release("b")).as("b only waited").isFalse();
    assertThat(budget.waiting()).isZero();
  }
}
