package dev.faascell.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.util.Command;
import dev.faascell.util.FileTrees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a user would pick instead of a microVM: the same Python function in a runc container (as
 * OpenWhisk and faasd run theirs), on the guest image's own root filesystem (mounted read-only), with
 * the function's code bind-mounted where the guest has it. A cold start is {@code runc run} of a
 * one-shot that imports the handler, calls it once and prints the result; a warm call is one line in
 * and one line out of a container that keeps its interpreter (and the handler) loaded.
 * Needs root and runc (scripts/install-deps.sh --bench installs it).
 */
final class RuncBaseline implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The handler's module is main.py, as the sample function ships it. */
  private static final String ONE_SHOT = "import sys, json; sys.path.insert(0, '/fn'); import main; "
      + "print(json.dumps(main.handle(json.loads(sys.argv[1]))))";
  private static final String LOOP = "import sys, json; sys.path.insert(0, '/fn'); import main\n"
      + "for line in sys.stdin:\n"
      + "    print(json.dumps(main.handle(json.loads(line))), flush=True)\n";

  private final Path dir;
  private final Path rootfs;
  private Path coldBundle;
  private int containers;

  private RuncBaseline(Path dir, Path rootfs) {
    this.dir = dir;
    this.rootfs = rootfs;
  }

  /** Mounts the image's root filesystem read-only and puts {@code code} (main.py) where the guest has it. */
  static RuncBaseline open(GuestImage image, String code) throws IOException {
    Command.of("runc", "--version").run();   // fails clearly when runc is missing
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-runc-");
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs);
    Files.createDirectories(dir.resolve("fn"));
    Files.writeString(dir.resolve("fn/main.py"), code);
    Command.of("mount", "-o", "loop,ro", image.rootfs().toString(), rootfs.toString()).run();
    return new RuncBaseline(dir, rootfs);
  }

  /** A bundle whose process is {@code args}; runc's default spec (namespaces, cgroup, read-only root) otherwise. */
  private Path bundle(String name, List<String> args) throws IOException {
    Path bundle = dir.resolve(name);
    Files.createDirectories(bundle);
    Command.of("runc", "spec", "--bundle", bundle.toString()).run();
    ObjectNode spec = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    spec.putObject("root").put("path", rootfs.toString()).put("readonly", true);
    ObjectNode process = (ObjectNode) spec.get("process");
    process.put("terminal", false);
    ArrayNode argv = process.putArray("args");
    args.forEach(argv::add);
    process.putArray("env").add("PATH=/usr/bin:/bin").add("PYTHONDONTWRITEBYTECODE=1").add("LANG=C.UTF-8");
    ObjectNode fn = ((ArrayNode) spec.get("mounts")).addObject();
    fn.put("destination", "/fn").put("type", "bind").put("source", dir.resolve("fn").toString());
    fn.putArray("options").add("rbind").add("ro");
    JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
    return bundle;
  }

  /**
   * One cold start: a new container runs the handler on {@code event} once (the same event every time);
   * returns nanoseconds until the container exited with its result out.
   */
  long coldStart(String event, String expected) throws IOException {
    if (coldBundle == null) {
      coldBundle = bundle("cold", List.of("/usr/bin/python3", "-c", ONE_SHOT, event));
    }
    long start = System.nanoTime();
    Command.Result result = Command.of("runc", "run", "--bundle", coldBundle.toString(), "fc-cold-" + ++containers)
        .runAllowingFailure();
    long elapsed = System.nanoTime() - start;
    if (result.exitCode() != 0 || !result.stdout().contains(expected)) {
      throw new IOException("runc cold start failed (" + result.exitCode() + "): " + result.stdout() + result.stderr());
    }
    return elapsed;
  }

  /** A container with the interpreter and the handler loaded, answering one event per line. */
  Warm warm() throws IOException {
    Path bundle = bundle("warm", List.of("/usr/bin/python3", "-u", "-c", LOOP));
    Process process = new ProcessBuilder("runc", "run", "--bundle", bundle.toString(), "fc-warm-" + ++containers)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    return new Warm(process);
  }

  /** A running container; {@link #call} is one warm invocation. */
  static final class Warm implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final BufferedReader out;

    private Warm(Process process) {
      this.process = process;
      this.in = process.getOutputStream();
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Nanoseconds from writing the event to reading the result. */
    long call(String event, String expected) throws IOException {
      long start = System.nanoTime();
      in.write((event + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      String line = out.readLine();
      long elapsed = System.nanoTime() - start;
      if (line == null || !line.contains(expected)) {
        throw new IOException("the warm container answered " + line);
      }
      return elapsed;
    }

    @Override
    public void close() throws IOException {
      in.close();   // the loop ends at end of input, and runc removes the container
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() throws IOException {
    Command.of("umount", rootfs.toString()).runAllowingFailure();
    FileTrees.delete(dir);
  }
}
