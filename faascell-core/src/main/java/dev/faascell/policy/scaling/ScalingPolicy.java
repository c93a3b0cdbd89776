package dev.faascell.policy.scaling;

/**
 * For an invocation that finds no idle VM of its function: start a new VM for it, or let it wait for a
 * busy VM of its function to free? Consulted by the VmPool for every such invocation each time the
 * Dispatcher offers it (a decision to wait is taken again when the pool changes). Pure: everything it
 * may use is in the {@link Demand}.
 */
public interface ScalingPolicy {
  String name();

  Decision decide(Demand demand);

  /** Start a VM, or wait; {@code reason} goes to the log and explains the choice to a person. */
  record Decision(boolean start, String reason) {
    public static Decision start(String reason) {
      return new Decision(true, reason);
    }

    public static Decision await(String reason) {
      return new Decision(false, reason);
    }
  }
}
