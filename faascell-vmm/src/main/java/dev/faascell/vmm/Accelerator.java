package dev.faascell.vmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How guest code executes. KVM where hardware virtualization can boot a stock guest kernel; TCG
 * (QEMU's binary translator) everywhere else. Every other code path is the same for both.
 */
public enum Accelerator {
  KVM,
  TCG;

  /** The configured choice: "kvm", "tcg" or "auto". */
  public static Accelerator choose(String configured, Path root) {
    return switch (configured.toLowerCase(Locale.ROOT)) {
      case "kvm" -> KVM;
      case "tcg" -> TCG;
      case "auto" -> detect(root);
      default -> throw new IllegalArgumentException("faascell.vmm.accelerator must be auto, kvm or tcg, not " + configured);
    };
  }

  /**
   * KVM only if /dev/kvm is usable, the CPU has VMX or SVM, and KVM is not KVM-PVM: PVM is software
   * virtualization whose instruction emulator cannot run a stock guest kernel (it fails on
   * cmpxchg16b, xrstor, int3), so a boot under it would fail or hang.
   *
   * @param root "/" normally; tests pass a fake tree
   */
  static Accelerator detect(Path root) {
    Path kvm = root.resolve("dev/kvm");
    if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
      return TCG;
    }
    if (Files.exists(root.resolve("sys/module/kvm_pvm"))) {
      return TCG;
    }
    try {
      String cpuinfo = Files.readString(root.resolve("proc/cpuinfo"));
      boolean hardware = cpuinfo.lines().anyMatch(line -> line.startsWith("flags")
          && (line.contains(" vmx") || line.contains(" svm")));
      return hardware ? KVM : TCG;
    } catch (IOException e) {
      return TCG;
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
