package dev.faascell.store;

/** The node store could not be read or written. */
public final class StoreException extends Exception {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
