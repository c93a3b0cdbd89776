package dev.faascell.guest.image;

/** The guest image could not be built; the message names the missing tool or failed step. */
public final class ImageBuildException extends Exception {
  public ImageBuildException(String message) {
    super(message);
  }

  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
