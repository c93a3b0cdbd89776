package dev.faascell.policy.scaling;

/** Starts a VM for every invocation that finds no idle one, whenever the node has room (no waiting). */
public final class AlwaysStart implements ScalingPolicy {
  @Override
  public String name() {
    return "always-start";
  }

  @Override
  public Decision decide(Demand demand) {
    return Decision.start("always-start");
  }
}
