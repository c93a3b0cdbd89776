package dev.faascell.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real {@code faascell serve} processes from the packaged jar, for tests that need what an in-process
 * node cannot show: SIGTERM, kill -9 and a restart. Every daemon it started is stopped (or killed and
 * its VMs reaped) by {@link #stopAll()}.
 */
public final class DaemonProcesses {
  private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+)");

  private final Path dir;
  private final Path config;
  private final List<Process> started = new ArrayList<>();

  /**
   * Daemons whose state, run dir, RAM files and cgroups all live under this test's {@code dir}, with
   * {@code extraConfig} lines (HOCON) added to their configuration file.
   */
  public DaemonProcesses(Path dir, String... extraConfig) throws Exception {
    this.dir = dir;
    this.config = dir.resolve("node.conf");
    Files.writeString(config, String.join("\n",
        "faascell.state-dir = \"" + dir.resolve("state") + "\"",
        "faascell.run-dir = \"" + runDir() + "\"",
        "faascell.shm-dir = \"" + TestNodes.shmDir(dir) + "\"",
        "faascell.cgroups.parent = \"" + dir.getFileName() + "\"",
        "faascell.image.cache-dir = \"" + dev.faascell.guest.image.TestImages.CACHE + "\"",
        "faascell.api.port = 0", String.join("\n", extraConfig), ""));
  }

  public Path runDir() {
    return dir.resolve("run");
  }

  /** What the daemons wrote to stderr (their log), all of them appended. */
  public String log() throws Exception {
    return Files.readString(dir.resolve("daemon.err"));
  }

  /** Starts a daemon and returns it with its URL once it serves. */
  public Daemon start() throws Exception {
    Process process = launch();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      Matcher m = SERVING.matcher(line);
      if (m.find()) {
        return new Daemon(process, m.group(1));
      }
    }
    throw new AssertionError("the daemon did not start: " + log());
  }

  /**
   * Starts a daemon that is expected not to serve, and returns its exit status once it ended (what it
   * said is in {@link #log()}). Fails if it serves or is still running after a minute.
   */
  public int startExpectingExit() throws Exception {
    Process process = launch();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the daemon was expected to exit but still runs: " + log());
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (SERVING.matcher(out).find()) {
      throw new AssertionError("the daemon served before it exited: " + out);
    }
    return process.exitValue();
  }

  private Process launch() throws Exception {
    Path jar = Path.of(System.getProperty("faascell.jar", "target/faascell-all.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("the daemon jar is built by mvn package: " + jar);
    }
    Process process = new ProcessBuilder("java", "-jar", jar.toString(), "serve", "--config", config.toString())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.err").toFile())).start();
    started.add(process);
    return process;
  }

  /** A test that failed halfway must not leave a daemon or its VMs behind. */
  public void stopAll() throws Exception {
    for (Process process : started) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    RealNodes.reap(runDir());
  }

  /** A running daemon process and the URL it serves on. */
  public record Daemon(Process process, String url) {
  }
}
