package dev.faascell.snapshot;

import dev.faascell.model.FunctionName;
import dev.faascell.util.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, makes the snapshot records and the files on the tiers agree, trusting neither: a
 * record whose files are missing or damaged, which belongs to another platform (guest image, QEMU
 * version, accelerator) or to a function version that is no longer deployed, is deleted with its
 * files; a directory on a tier that no record names is deleted too.
 */
public final class SnapshotReconciler {
  private static final Logger log = LoggerFactory.getLogger(SnapshotReconciler.class);

  private SnapshotReconciler() {
  }

  /**
   * @param currentVersion the deployed version of a function, empty if it is not deployed
   * @return the snapshots the node may restore from
   */
  public static List<SnapshotRecord> reconcile(SnapshotCatalog catalog, List<Tier> tiers, String platform,
                                               Function<FunctionName, Optional<String>> currentVersion)
      throws SnapshotCatalog.CatalogException {
    List<SnapshotRecord> valid = new ArrayList<>();
    for (SnapshotRecord record : catalog.loadSnapshots()) {
      String problem = problem(record, tiers, platform, currentVersion);
      if (problem == null) {
        valid.add(record);
        continue;
      }
      log.warn("event=snapshot-discarded snapshot={} function={} reason=\"{}\"", record.id(), record.function(), problem);
      catalog.deleteSnapshot(record.id());
      delete(record.directory());
    }
    Set<Path> kept = new HashSet<>();
    valid.forEach(record -> kept.add(record.directory().toAbsolutePath().normalize()));
    for (Tier tier : tiers) {
      removeOrphans(tier, kept);
    }
    delete(SnapshotManager.stagingDirectory(tiers));
    return valid;
  }

  private static String problem(SnapshotRecord record, List<Tier> tiers, String platform,
                                Function<FunctionName, Optional<String>> currentVersion) {
    if (!record.platform().equals(platform)) {
      return "made under another platform (" + record.platform() + "), this node runs " + platform;
    }
    Optional<String> version = currentVersion.apply(record.function());
    if (version.isEmpty()) {
      return "its function is no longer deployed";
    }
    if (!version.get().equals(record.functionVersion())) {
      return "its function was redeployed";
    }
    Optional<Tier> tier = tiers.stream().filter(t -> t.name().equals(record.tier())).findFirst();
    if (tier.isEmpty() || !record.directory().toAbsolutePath().normalize().startsWith(tier.get().path().toAbsolutePath().normalize())) {
      return "its tier '" + record.tier() + "' is no longer configured at " + record.directory().getParent();
    }
    return SnapshotIntegrity.problem(record, true);
  }

  private static void removeOrphans(Tier tier, Set<Path> kept) {
    if (!Files.isDirectory(tier.path())) {
      return;
    }
    try (Stream<Path> entries = Files.list(tier.path())) {
      for (Path entry : entries.toList()) {
        Path normalized = entry.toAbsolutePath().normalize();
        if (!kept.contains(normalized) && !entry.getFileName().toString().equals(".staging")) {
          log.warn("event=snapshot-orphan-removed path={} reason=\"no record names it\"", entry);
          delete(entry);
        }
      }
    } catch (IOException e) {
      log.warn("event=tier-unreadable tier={} path={} reason=\"{}\"", tier.name(), tier.path(), e.getMessage());
    }
  }

  private static void delete(Path path) {
    try {
      if (Files.isDirectory(path)) {
        FileTrees.delete(path);
      } else {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      log.warn("event=snapshot-files-not-deleted path={} reason=\"{}\"", path, e.getMessage());
    }
  }
}
