package dev.faascell.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function's handler against its code: the default when none is given, and the deploy-time check
 * that the handler's module is in the code and names the function, so that a typo is a 400 at deploy
 * rather than a traceback at the first invocation.
 */
public final class Handlers {
  /** Where each runtime looks for a handler's module, in order (the runtimes' own lookup). */
  private static final Map<RuntimeKind, List<String>> MODULE_FILES = Map.of(
      RuntimeKind.PYTHON, List.of("%s.py", "%s/__init__.py", "%s.pyc"),
      RuntimeKind.NODEJS, List.of("%s.js", "%s.mjs", "%s.cjs"));
  /** Modules larger than this are not searched for the function's name (it is assumed there). */
  private static final int MAX_SCANNED_BYTES = 16 << 20;

  private Handlers() {
  }

  /**
   * The handler when the deploy names none: python {@code handle} and nodejs {@code handler} (Lambda's
   * name) in the module of a one-file deploy, or in {@code main} / {@code index} of an archive; exec
   * runs the one file.
   */
  public static String defaultFor(RuntimeKind runtime, CodeBundle code) {
    boolean oneFile = code.format() == CodeBundle.Format.FILE;
    String stem = code.fileName().replaceFirst("\\.[^.]*$", "");
    return switch (runtime) {
      case PYTHON -> (oneFile ? stem : "main") + ".handle";
      case NODEJS -> (oneFile ? stem : "index") + ".handler";
      case EXEC -> code.fileName();
    };
  }

  /** The file name a one-file deploy gets when it names none. */
  public static String defaultFileName(RuntimeKind runtime) {
    return switch (runtime) {
      case PYTHON -> "main.py";
      case NODEJS -> "index.js";
      case EXEC -> "handler";
    };
  }

  /** Refuses a handler whose module or function is not in the code, with a one-line reason. */
  public static void check(FunctionSpec spec) {
    Map<String, byte[]> files = files(spec.code());
    if (spec.runtime() == RuntimeKind.EXEC) {
      if (!files.containsKey(spec.handler())) {
        throw new InvalidInputException("handler '" + spec.handler() + "' is not a file in the code (it has "
            + describe(files) + ")");
      }
      return;
    }
    int dot = spec.handler().lastIndexOf('.');
    String module = spec.handler().substring(0, dot);
    String function = spec.handler().substring(dot + 1);
    String modulePath = spec.runtime() == RuntimeKind.PYTHON ? module.replace('.', '/') : module;
    List<String> candidates = MODULE_FILES.get(spec.runtime()).stream().map(f -> String.format(f, modulePath)).toList();
    Optional<String> found = candidates.stream().filter(files::containsKey).findFirst();
    if (found.isEmpty()) {
      throw new InvalidInputException("handler '" + spec.handler() + "': module '" + module + "' is not in the code (looked for "
          + String.join(", ", candidates) + "; the code has " + describe(files) + ")");
    }
    byte[] source = files.get(found.get());
    if (found.get().endsWith(".pyc")) {
      return;   // compiled bytecode: names are not searchable as text
    }
    if (source != null && !Pattern.compile("(?<![A-Za-z0-9_$])" + Pattern.quote(function) + "(?![A-Za-z0-9_$])")
        .matcher(new String(source, StandardCharsets.UTF_8)).find()) {
      throw new InvalidInputException("handler '" + spec.handler() + "': " + found.get() + " does not define '"
          + function + "'");
    }
  }

  /** The code's files by path; a value is null when the file is too large to search. */
  private static Map<String, byte[]> files(CodeBundle code) {
    Map<String, byte[]> files = new HashMap<>();
    if (code.format() == CodeBundle.Format.FILE) {
      files.put(code.fileName(), code.bytes());
      return files;
    }
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(code.bytes()))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        byte[] head = zip.readNBytes(MAX_SCANNED_BYTES + 1);
        files.put(name, head.length > MAX_SCANNED_BYTES ? null : head);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidInputException("the code is not a readable zip archive: " + e.getMessage());
    }
    return files;
  }

  private static String describe(Map<String, byte[]> files) {
    if (files.isEmpty()) {
      return "no files";
    }
    List<String> names = files.keySet().stream().sorted().limit(5).toList();
    return String.join(", ", names) + (files.size() > names.size() ? " and " + (files.size() - names.size()) + " more" : "");
  }
}
