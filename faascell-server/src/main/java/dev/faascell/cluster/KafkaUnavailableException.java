package dev.faascell.cluster;

/** Kafka could not be reached, or refused what the node needs from it (topics), at start. */
public final class KafkaUnavailableException extends Exception {
  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
