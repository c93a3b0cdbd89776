package dev.faascell.vmm.qemu;

import java.io.IOException;

/** QEMU answered a QMP command with an error. */
public final class QmpException extends IOException {
  public QmpException(String command, String description) {
    super("QMP " + command + " failed: " + description);
  }
}
