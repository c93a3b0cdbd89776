package dev.faascell.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoverTest {
  private final Handover handover = new Handover();
  private final List<String> released = new ArrayList<>();

  private String bring(String resource) {
    return handover.bringing(resource, () -> released.add(resource));
  }

  @Test
  void whatTheActorReceivedIsItsOwnAndNotReleasedAtStop() {
    handover.received(bring("vm"));
    handover.close();
    assertThat(released).isEmpty();
  }

  @Test
  void whatIsOnItsWayWhenTheActorStopsIsReleasedOnce() {
    bring("connection");
    handover.close();
    handover.close();
    assertThat(released).containsExactly("connection");
  }

  @Test
  void whatArrivesAfterTheActorStoppedIsReleasedAtOnce() {
    handover.close();
    assertThat(bring("late vm")).isEqualTo("late vm");
    assertThat(released).containsExactly("late vm");
    handover.received("late vm");
    assertThat(released).containsExactly("late vm");
  }
}
