package dev.faascell.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host program with an argument vector — never through a shell, so no user string is ever
 * interpreted — and returns its output, or throws with its stderr when it fails or overruns.
 */
public final class Command {
  private final List<String> argv;
  private Path directory;
  private Duration timeout = Duration.ofMinutes(10);
  private byte[] input;

  private Command(List<String> argv) {
    this.argv = List.copyOf(argv);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv));
  }

  public static Command of(List<String> argv) {
    return new Command(argv);
  }

  public Command in(Path directory) {
    this.directory = directory;
    return this;
  }

  public Command timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** Feeds {@code text} to the program's stdin (e.g. a rule set to {@code nft -f -}); stdin is empty otherwise. */
  public Command input(String text) {
    this.input = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** The result of a finished program. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs the program and returns whatever it exited with. */
  public Result runAllowingFailure() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv);
    if (input == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process process = builder.start();
    if (input != null) {
      try (var stdin = process.getOutputStream()) {
        stdin.write(input);
      }
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IOException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + argv.get(0), e);
    }
  }

  /** Runs the program; a non-zero exit is an IOException carrying its stderr. */
  public String run() throws IOException {
    Result result = runAllowingFailure();
    if (result.exitCode() != 0) {
      String detail = (result.stderr().isBlank() ? result.stdout() : result.stderr()).strip();
      if (detail.length() > 2000) {
        detail = detail.substring(detail.length() - 2000);
      }
      throw new IOException(String.join(" ", argv.subList(0, Math.min(argv.size(), 4)))
          + (argv.size() > 4 ? " ..." : "") + " exited with " + result.exitCode() + ": " + detail);
    }
    return result.stdout();
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        stream.transferTo(buffer);
        return buffer.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
