package dev.faascell.policy;

import com.typesafe.config.Config;
import dev.faascell.model.FunctionName;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.policy.admission.QueuePolicyProvider;
import dev.faascell.policy.admission.QueuedInvocation;
import dev.faascell.policy.spi.Knob;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A queue policy plugged in through ServiceLoader (src/test/resources/META-INF/services), for
 * PolicyRegistryTest: the newest invocation first, or the oldest when {@code lifo.reversed = on}.
 */
public final class LastInFirstOutProvider implements QueuePolicyProvider {
  @Override
  public String name() {
    return "lifo";
  }

  @Override
  public String description() {
    return "the newest invocation first";
  }

  @Override
  public List<Knob> knobs() {
    return List.of(new Knob("lifo.reversed", "off", "the oldest first instead"));
  }

  @Override
  public QueuePolicy create(Config dispatcher) {
    boolean reversed = dispatcher.hasPath("lifo.reversed") && dispatcher.getBoolean("lifo.reversed");
    return new QueuePolicy() {
      public String name() {
        return "lifo";
      }

      public List<QueuedInvocation> order(List<QueuedInvocation> arrivalOrder, Map<FunctionName, Double> expectedRunMs) {
        return reversed ? arrivalOrder
            : arrivalOrder.stream().sorted(Comparator.comparingLong(QueuedInvocation::arrival).reversed()).toList();
      }
    };
  }
}
