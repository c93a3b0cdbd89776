package dev.faascell.cli;

import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.image.ImageBuilder;
import dev.faascell.server.Node;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code faascell image build}: builds (or finds cached) the guest image for the current inputs. */
@Command(name = "image", description = "Manage the guest image.", subcommands = ImageCommand.Build.class)
final class ImageCommand {
  @Command(name = "build", description = "Build the guest image (cached by the digest of its inputs).")
  static final class Build implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
      GuestImage image = new ImageBuilder(Node.imageConfig(config.load()), new ProgressPrinter(System.err)).ensure();
      System.out.println(image.id() + " " + image.directory());
      return 0;
    }
  }
}
