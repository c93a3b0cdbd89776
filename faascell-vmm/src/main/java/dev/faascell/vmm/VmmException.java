package dev.faascell.vmm;

/** The VMM could not start or control a VM. */
public final class VmmException extends Exception {
  public VmmException(String message) {
    super(message);
  }

  public VmmException(String message, Throwable cause) {
    super(message, cause);
  }
}
