package dev.faascell.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A function's code: one file (stored under {@code fileName} in the guest's /fn) or a zip archive
 * unpacked there. Immutable: the bytes are copied in and out.
 */
public final class CodeBundle {
  /** How the code is packaged. */
  public enum Format { FILE, ZIP }

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");

  private final Format format;
  private final String fileName;
  private final byte[] bytes;
  /** Hashed once: a function's version includes it, and the pool asks for the version at every invocation. */
  private final String sha256;

  private CodeBundle(Format format, String fileName, byte[] bytes) {
    this.format = format;
    this.fileName = fileName;
    this.bytes = bytes.clone();
    try {
      this.sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(this.bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static CodeBundle file(String fileName, byte[] bytes) {
    if (fileName == null || !FILE_NAME.matcher(fileName).matches() || fileName.equals(".")
        || fileName.equals("..")) {
      throw new InvalidInputException("invalid code file name: use 1 to 255 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
    }
    return new CodeBundle(Format.FILE, fileName, bytes);
  }

  public static CodeBundle zip(byte[] bytes) {
    if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
      throw new InvalidInputException("code.zip is not a zip archive");
    }
    return new CodeBundle(Format.ZIP, "code.zip", bytes);
  }

  public Format format() {
    return format;
  }

  public String fileName() {
    return fileName;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public String sha256() {
    return sha256;
  }
}
