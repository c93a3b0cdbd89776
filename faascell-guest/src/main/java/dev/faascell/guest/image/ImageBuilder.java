package dev.faascell.guest.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.faascell.util.Command;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the guest image from the host's packages: the Debian cloud kernel (its .deb extracted, never
 * installed), busybox-static, the agent compiled statically from source, and a read-only ext4 root
 * with the host's Python 3 and Node.js (each with the shared libraries it links). Images are content-addressed: the directory name is the digest of every
 * input, so an unchanged set of inputs is never rebuilt and a changed one never reuses a stale image.
 */
public final class ImageBuilder {
  /** Bump when the layout of an image changes in a way its inputs do not show. */
  static final int FORMAT = 1;
  private static final String RESOURCES = "/dev/faascell/guest/agent/";
  private static final List<String> GUEST_SOURCES = List.of("agent.c", "init.sh", "pyrt.py", "nodert.mjs");
  /** The virtio drivers are modules in Debian's cloud kernel; insmod order is in init.sh. */
  private static final List<String> MODULES = List.of(
      "drivers/virtio/virtio.ko", "drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio_mmio.ko",
      "drivers/char/virtio_console.ko", "drivers/block/virtio_blk.ko", "drivers/char/hw_random/virtio-rng.ko",
      // the network device of a function with network egress (loaded only when the VM has one)
      "net/core/failover.ko", "drivers/net/net_failover.ko", "drivers/net/virtio_net.ko");
  private static final List<String> INITRD_APPLETS = List.of("sh", "mount", "insmod", "mkdir", "sleep", "poweroff", "echo", "ip");
  private static final Set<String> STDLIB_EXCLUDES = Set.of(
      "test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "pydoc_data", "__pycache__",
      "site-packages", "dist-packages");
  private static final byte[] LZ4_LEGACY_MAGIC = {0x02, 0x21, 0x4c, 0x18};
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ImageConfig config;
  private final BuildProgress progress;

  public ImageBuilder(ImageConfig config, BuildProgress progress) {
    this.config = config;
    this.progress = progress;
  }

  /** The image for the current inputs: the cached one, or a freshly built one. */
  public GuestImage ensure() throws ImageBuildException {
    int steps = 7;
    progress.step(1, steps, "locating the kernel package");
    Path kernelDeb = locateKernelDeb();
    checkTools();
    Map<String, String> inputs = inputDigests(kernelDeb);
    String id = digest(inputs.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 20);
    Path dir = config.cacheDir().resolve(id);
    GuestImage cached = readManifest(dir);
    if (cached != null) {
      progress.step(steps, steps, "image " + id + " is up to date");
      return cached;
    }
    Path work = config.cacheDir().resolve(".build-" + id + "-" + ProcessHandle.current().pid());
    try {
      deleteTree(work);
      Files.createDirectories(work);
      progress.step(2, steps, "extracting " + kernelDeb.getFileName());
      Path kernelTree = work.resolve("kernel");
      Command.of("dpkg-deb", "-x", kernelDeb.toString(), kernelTree.toString()).run();
      String release = kernelRelease(kernelTree);
      Path out = work.resolve("image");
      Files.createDirectories(out);
      Path kernel = installKernel(kernelTree, release, out);
      progress.step(3, steps, "compiling the guest agent");
      Path agent = compileAgent(work);
      progress.step(4, steps, "packing the initramfs");
      writeInitramfs(kernelTree, release, agent, out.resolve("initrd.img"));
      progress.step(5, steps, "assembling the Python and Node.js root");
      Path root = work.resolve("root");
      stageRoot(root);
      progress.step(6, steps, "writing the root disk");
      makeExt4(root, out.resolve("rootfs.ext4"));
      progress.step(7, steps, "recording image " + id);
      writeManifest(out, id, release, kernel.getFileName().toString(), inputs);
      Files.createDirectories(config.cacheDir());
      deleteTree(dir);
      Files.move(out, dir, StandardCopyOption.ATOMIC_MOVE);
      return readManifest(dir);
    } catch (IOException e) {
      throw new ImageBuildException("building the guest image failed: " + e.getMessage(), e);
    } finally {
      try {
        deleteTree(work);
      } catch (IOException ignored) {
        // a leftover build directory is removed by the next build of the same image
      }
    }
  }

  private Path locateKernelDeb() throws ImageBuildException {
    if (config.kernelDeb().isPresent()) {
      Path deb = config.kernelDeb().get();
      if (!Files.isRegularFile(deb)) {
        throw new ImageBuildException("configured kernel package " + deb + " does not exist");
      }
      return deb;
    }
    Path debs = config.cacheDir().resolve("debs");
    try {
      Files.createDirectories(debs);
      String pkg = resolveKernelPackage();
      Path existing = findDeb(debs, pkg);
      if (existing != null) {
        return existing;
      }
      Command.of("apt-get", "download", pkg).in(debs).timeout(Duration.ofMinutes(10)).run();
      Path downloaded = findDeb(debs, pkg);
      if (downloaded == null) {
        throw new ImageBuildException("apt-get download " + pkg + " left no .deb in " + debs);
      }
      return downloaded;
    } catch (IOException e) {
      throw new ImageBuildException("cannot obtain the guest kernel package (" + config.kernelPackage()
          + "): " + e.getMessage() + ". Run scripts/install-deps.sh or set faascell.image.kernel-deb", e);
    }
  }

  /** The meta package (linux-image-cloud-amd64) names the versioned one it depends on. */
  private String resolveKernelPackage() throws IOException {
    if (!config.kernelPackage().endsWith("-amd64") || config.kernelPackage().matches(".*-\\d.*")) {
      return config.kernelPackage();
    }
    String depends = Command.of("apt-cache", "depends", config.kernelPackage()).run();
    Matcher m = Pattern.compile("Depends: (linux-image-[0-9][^\\s]*)").matcher(depends);
    if (!m.find()) {
      throw new IOException("apt-cache depends " + config.kernelPackage() + " names no kernel package");
    }
    return m.group(1);
  }

  private static Path findDeb(Path dir, String pkg) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, pkg + "_*.deb")) {
      for (Path entry : entries) {
        return entry;
      }
    }
    return null;
  }

  private void checkTools() throws ImageBuildException {
    for (Path tool : List.of(config.busybox(), config.python(), config.node())) {
      if (!Files.isExecutable(tool)) {
        throw new ImageBuildException(tool + " is missing: run scripts/install-deps.sh");
      }
    }
    try {
      Command.Result ldd = Command.of("ldd", config.busybox().toString()).runAllowingFailure();
      if (!(ldd.stdout() + ldd.stderr()).contains("not a dynamic executable")) {
        throw new ImageBuildException(config.busybox() + " is dynamically linked: install busybox-static");
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot run ldd: " + e.getMessage(), e);
    }
  }

  private Map<String, String> inputDigests(Path kernelDeb) throws ImageBuildException {
    try {
      Map<String, String> inputs = new LinkedHashMap<>();
      inputs.put("format", Integer.toString(FORMAT));
      inputs.put("kernel-deb", digest(kernelDeb));
      for (String source : GUEST_SOURCES) {
        inputs.put(source, digest(source.equals("agent.c") ? agentSource() : resource(source)));
      }
      inputs.put("busybox", digest(config.busybox()));
      inputs.put("python", digest(config.python()) + " "
          + Command.of(config.python().toString(), "-c", "import sys; print(sys.version)").run().strip());
      inputs.put("node", digest(config.node()) + " " + Command.of(config.node().toString(), "--version").run().strip());
      inputs.put("cc", Command.of(config.cc(), "--version").run().lines().findFirst().orElse(""));
      return inputs;
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the image inputs: " + e.getMessage(), e);
    }
  }

  private static String kernelRelease(Path kernelTree) throws IOException {
    try (Stream<Path> releases = Files.list(kernelTree.resolve("lib/modules"))) {
      return releases.map(p -> p.getFileName().toString()).findFirst()
          .orElseThrow(() -> new IOException("the kernel package has no lib/modules"));
    }
  }

  /**
   * Prefers the uncompressed ELF vmlinux, which QEMU boots through the PVH entry point (measured
   * ~0.3-0.5 s faster under TCG than the bzImage); falls back to the bzImage if it cannot be extracted.
   */
  private Path installKernel(Path kernelTree, String release, Path out) throws IOException {
    Path bzImage = kernelTree.resolve("boot/vmlinuz-" + release);
    Path elf = out.resolve("vmlinux");
    if (extractElf(bzImage, elf)) {
      return elf;
    }
    Path target = out.resolve("vmlinuz");
    Files.copy(bzImage, target);
    return target;
  }

  private static boolean extractElf(Path bzImage, Path elf) throws IOException {
    byte[] image = Files.readAllBytes(bzImage);
    Path payload = elf.resolveSibling("payload.lz4");
    try {
      for (int at = indexOf(image, LZ4_LEGACY_MAGIC, 0); at >= 0; at = indexOf(image, LZ4_LEGACY_MAGIC, at + 1)) {
        Files.write(payload, java.util.Arrays.copyOfRange(image, at, image.length));
        // lz4 complains about the bytes after the payload; the ELF check below decides
        Command.of("lz4", "-d", "-f", payload.toString(), elf.toString()).runAllowingFailure();
        if (isElf(elf)) {
          return true;
        }
      }
    } catch (IOException lz4Missing) {
      // no lz4 tool: boot the bzImage instead
    } finally {
      Files.deleteIfExists(payload);
    }
    Files.deleteIfExists(elf);
    return false;
  }

  private static boolean isElf(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) < 4) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private byte[] agentSource() throws IOException {
    return config.agentSource().isPresent() ? Files.readAllBytes(config.agentSource().get()) : resource("agent.c");
  }

  private Path compileAgent(Path work) throws IOException {
    Path source = work.resolve("agent.c");
    Files.write(source, agentSource());
    Path binary = work.resolve("faascell-agent");
    Command.of(config.cc(), "-static", "-O2", "-Wall", "-o", binary.toString(), source.toString()).run();
    return binary;
  }

  private void writeInitramfs(Path kernelTree, String release, Path agent, Path target) throws IOException {
    try (CpioArchive cpio = new CpioArchive(new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(target))))) {
      for (String dir : List.of("bin", "sbin", "dev", "proc", "sys", "tmp", "newroot", "lib", "lib/modules")) {
        cpio.directory(dir, 0755);
      }
      cpio.characterDevice("dev/console", 0600, 5, 1);
      cpio.file("bin/busybox", 0755, Files.readAllBytes(config.busybox()));
      for (String applet : INITRD_APPLETS) {
        cpio.symlink("bin/" + applet, "busybox");
      }
      cpio.file("init", 0755, resource("init.sh"));
      cpio.file("sbin/faascell-agent", 0755, Files.readAllBytes(agent));
      Path modules = kernelTree.resolve("lib/modules/" + release + "/kernel");
      for (String module : MODULES) {
        Path ko = modules.resolve(module);
        if (!Files.isRegularFile(ko)) {
          throw new IOException("kernel " + release + " has no module " + module);
        }
        cpio.file("lib/modules/" + ko.getFileName(), 0644, Files.readAllBytes(ko));
      }
    }
  }

  private void stageRoot(Path root) throws IOException {
    for (String dir : List.of("bin", "usr/bin", "dev", "proc", "sys", "tmp", "fn", "etc", "faascell")) {
      Files.createDirectories(root.resolve(dir));
    }
    copyInto(root, config.busybox(), "bin/busybox");
    for (String applet : Command.of(config.busybox().toString(), "--list").run().split("\\s+")) {
      Path link = root.resolve("bin").resolve(applet);
      if (!applet.isBlank() && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
    }
    copyInto(root, config.python(), "usr/bin/python3");
    copyInto(root, config.node(), "usr/bin/node");
    Path stdlib = Path.of(Command.of(config.python().toString(), "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])").run().strip());
    copyStdlib(stdlib, root.resolve(stdlib.toString().substring(1)));
    Set<Path> libraries = new TreeSet<>();
    List<Path> binaries = new ArrayList<>(List.of(config.python(), config.node()));
    try (Stream<Path> extensions = Files.list(stdlib.resolve("lib-dynload"))) {
      extensions.filter(p -> p.toString().endsWith(".so")).forEach(binaries::add);
    }
    for (Path binary : binaries) {
      libraries.addAll(sharedLibraries(binary));
    }
    for (Path library : libraries) {
      copyInto(root, library, library.toString().substring(1));
    }
    Files.write(root.resolve("faascell/pyrt.py"), resource("pyrt.py"));
    Files.write(root.resolve("faascell/nodert.mjs"), resource("nodert.mjs"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    // compile bytecode now so that no import in the guest compiles (the root is read-only anyway)
    Command.of(config.python().toString(), "-m", "compileall", "-q", "-j", "0", root.resolve("usr/lib").toString(),
        root.resolve("faascell").toString()).timeout(Duration.ofMinutes(20)).runAllowingFailure();
  }

  private static List<Path> sharedLibraries(Path binary) throws IOException {
    List<Path> libraries = new ArrayList<>();
    Matcher m = Pattern.compile("(/\\S+) \\(0x").matcher(Command.of("ldd", binary.toString()).runAllowingFailure().stdout());
    while (m.find()) {
      libraries.add(Path.of(m.group(1)));
    }
    return libraries;
  }

  private static void copyInto(Path root, Path source, String relative) throws IOException {
    Path target = root.resolve(relative);
    Files.createDirectories(target.getParent());
    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void copyStdlib(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String name = dir.getFileName().toString();
        if (!dir.equals(from) && (STDLIB_EXCLUDES.contains(name) || name.startsWith("config-"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          Files.copy(file, to.resolve(from.relativize(file).toString()));
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void makeExt4(Path root, Path target) throws IOException {
    long bytes;
    try (Stream<Path> files = Files.walk(root)) {
      bytes = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
    }
    long sizeMb = bytes * 13 / 10 / (1 << 20) + 32;
    Command.of("mkfs.ext4", "-q", "-F", "-L", "faascell-root", "-O", "^has_journal", "-E", "root_owner=0:0",
        "-d", root.toString(), target.toString(), sizeMb + "M").run();
  }

  private void writeManifest(Path out, String id, String release, String kernelFile, Map<String, String> inputs)
      throws IOException {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("id", id);
    manifest.put("kernelRelease", release);
    manifest.put("kernel", kernelFile);
    manifest.put("initrd", "initrd.img");
    manifest.put("rootfs", "rootfs.ext4");
    manifest.put("builtAt", Instant.now().toString());
    manifest.put("inputs", inputs);
    JSON.writeValue(out.resolve("manifest.json").toFile(), manifest);
  }

  /** The image recorded in {@code dir}, or null if there is none or it is incomplete. */
  static GuestImage readManifest(Path dir) throws ImageBuildException {
    Path manifest = dir.resolve("manifest.json");
    if (!Files.isRegularFile(manifest)) {
      return null;
    }
    try {
      Map<?, ?> m = JSON.readValue(manifest.toFile(), Map.class);
      GuestImage image = new GuestImage((String) m.get("id"), dir, dir.resolve((String) m.get("kernel")),
          dir.resolve((String) m.get("initrd")), dir.resolve((String) m.get("rootfs")), (String) m.get("kernelRelease"));
      boolean complete = Files.isRegularFile(image.kernel()) && Files.isRegularFile(image.initrd())
          && Files.isRegularFile(image.rootfs());
      return complete ? image : null;
    } catch (IOException | RuntimeException e) {
      throw new ImageBuildException("the image manifest " + manifest + " is unreadable: " + e.getMessage(), e);
    }
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ImageBuilder.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("guest source " + name + " is missing from the classpath");
      }
      return in.readAllBytes();
    }
  }

  private static String digest(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = sha256();
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    }
  }

  private static String digest(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
