package dev.faascell.model;

/** Input from a user that FaaSCell refuses; the message says what is wrong (HTTP 400). */
public final class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }
}
