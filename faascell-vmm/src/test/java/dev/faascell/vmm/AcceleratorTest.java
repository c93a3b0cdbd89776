package dev.faascell.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accelerator detection on fake /dev, /sys and /proc trees. */
class AcceleratorTest {
  @TempDir
  Path root;

  private void host(boolean kvm, boolean pvm, String flags) throws Exception {
    Files.createDirectories(root.resolve("dev"));
    Files.createDirectories(root.resolve("proc"));
    if (kvm) {
      Files.createFile(root.resolve("dev/kvm"));
    }
    if (pvm) {
      Files.createDirectories(root.resolve("sys/module/kvm_pvm"));
    }
    Files.writeString(root.resolve("proc/cpuinfo"), "processor\t: 0\nflags\t\t: fpu " + flags + " sse2\n");
  }

  @Test
  void hardwareKvmIsUsed() throws Exception {
    host(true, false, "vmx");
    assertThat(Accelerator.choose("auto", root)).isEqualTo(Accelerator.KVM);
  }

  @Test
  void kvmPvmFallsBackToTcg() throws Exception {
    host(true, true, "vmx");
    assertThat(Accelerator.choose("auto", root)).isEqualTo(Accelerator.TCG);
  }

  @Test
  void noVirtualizationExtensionsOrNoDeviceMeansTcg() throws Exception {
    host(true, false, "");
    assertThat(Accelerator.choose("auto", root)).isEqualTo(Accelerator.TCG);
    Files.delete(root.resolve("dev/kvm"));
    assertThat(Accelerator.choose("auto", root)).isEqualTo(Accelerator.TCG);
  }

  @Test
  void anExplicitChoiceWinsAndNonsenseIsRefused() {
    assertThat(Accelerator.choose("kvm", root)).isEqualTo(Accelerator.KVM);
    assertThat(Accelerator.choose("TCG", root)).isEqualTo(Accelerator.TCG);
    assertThatThrownBy(() -> Accelerator.choose("xen", root)).hasMessageContaining("auto, kvm or tcg");
  }
}
