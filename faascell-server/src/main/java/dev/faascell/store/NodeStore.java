package dev.faascell.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.AllowRule;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.model.RuntimeKind;
import dev.faascell.registry.DeployedFunction;
import dev.faascell.snapshot.SnapshotCatalog;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.SnapshotFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's metadata that must survive a restart, in one SQLite database: deployed functions and
 * snapshots. Writes are transactions; the schema is versioned with
 * {@code PRAGMA user_version} so that later releases can migrate it.
 *
 * <p>Thread-safe: its one connection is used by one caller at a time (every method holds the store's
 * lock), whichever thread calls — the node's store thread for deploys and deletes (NodeApi), the
 * snapshot catalog's caller, the cluster's function topic. SQLite serialises writes anyway.
 */
public final class NodeStore implements AutoCloseable {
  private static final int SCHEMA_VERSION = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection connection;

  private NodeStore(Connection connection) {
    this.connection = connection;
  }

  public static NodeStore open(Path file) throws StoreException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      NodeStore store = new NodeStore(connection);
      store.migrate();
      return store;
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException("cannot open the node store " + file + ": " + e.getMessage(), e);
    }
  }

  private void migrate() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      int version;
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      if (version > SCHEMA_VERSION) {
        throw new SQLException("the store was written by a newer FaaSCell (schema " + version + ")");
      }
      if (version < 1) {
        s.execute("""
            CREATE TABLE IF NOT EXISTS functions (
              name TEXT PRIMARY KEY,
              version TEXT NOT NULL,
              runtime TEXT NOT NULL,
              handler TEXT NOT NULL,
              code_format TEXT NOT NULL,
              code_file TEXT NOT NULL,
              code BLOB NOT NULL,
              memory_mb INTEGER NOT NULL,
              vcpus INTEGER NOT NULL,
              timeout_ms INTEGER NOT NULL,
              env_json TEXT NOT NULL,
              created_at TEXT NOT NULL,
              updated_at TEXT NOT NULL)""");
      }
      if (version < 2) {
        s.execute("""
            CREATE TABLE IF NOT EXISTS snapshots (
              id TEXT PRIMARY KEY,
              function TEXT NOT NULL,
              function_version TEXT NOT NULL,
              platform TEXT NOT NULL,
              format TEXT NOT NULL,
              memory_mb INTEGER NOT NULL,
              vcpus INTEGER NOT NULL,
              tier TEXT NOT NULL,
              directory TEXT NOT NULL,
              state_bytes INTEGER NOT NULL,
              state_sha256 TEXT NOT NULL,
              ram_bytes INTEGER NOT NULL,
              ram_sha256 TEXT NOT NULL,
              created_at TEXT NOT NULL,
              last_restored_at TEXT NOT NULL,
              restore_count INTEGER NOT NULL)""");
      }
      if (version < 3) {
        s.execute("ALTER TABLE functions ADD COLUMN network_json TEXT NOT NULL DEFAULT '{\"mode\":\"none\"}'");
      }
      s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
    }
  }

  /** The node's snapshots as the SnapshotManager's catalog. */
  public SnapshotCatalog snapshotCatalog() {
    return new SnapshotCatalog() {
      @Override
      public List<SnapshotRecord> loadSnapshots() throws CatalogException {
        return NodeStore.this.loadSnapshots();
      }

      @Override
      public void saveSnapshot(SnapshotRecord record) throws CatalogException {
        NodeStore.this.saveSnapshot(record);
      }

      @Override
      public void deleteSnapshot(String id) throws CatalogException {
        NodeStore.this.deleteSnapshot(id);
      }
    };
  }

  synchronized List<SnapshotRecord> loadSnapshots() throws SnapshotCatalog.CatalogException {
    List<SnapshotRecord> records = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM snapshots ORDER BY created_at")) {
      while (rs.next()) {
        records.add(new SnapshotRecord(rs.getString("id"), FunctionName.of(rs.getString("function")),
            rs.getString("function_version"), rs.getString("platform"), SnapshotFormat.parse(rs.getString("format")),
            rs.getInt("memory_mb"), rs.getInt("vcpus"), rs.getString("tier"), Path.of(rs.getString("directory")),
            rs.getLong("state_bytes"), rs.getString("state_sha256"), rs.getLong("ram_bytes"), rs.getString("ram_sha256"),
            Instant.parse(rs.getString("created_at")), Instant.parse(rs.getString("last_restored_at")),
            rs.getLong("restore_count")));
      }
      return records;
    } catch (SQLException | RuntimeException e) {
      throw new SnapshotCatalog.CatalogException("cannot load snapshots: " + e.getMessage(), e);
    }
  }

  synchronized void saveSnapshot(SnapshotRecord r) throws SnapshotCatalog.CatalogException {
    String sql = "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement p = connection.prepareStatement(sql)) {
      p.setString(1, r.id());
      p.setString(2, r.function().value());
      p.setString(3, r.functionVersion());
      p.setString(4, r.platform());
      p.setString(5, r.format().wireName());
      p.setInt(6, r.memoryMb());
      p.setInt(7, r.vcpus());
      p.setString(8, r.tier());
      p.setString(9, r.directory().toString());
      p.setLong(10, r.stateBytes());
      p.setString(11, r.stateSha256());
      p.setLong(12, r.ramBytes());
      p.setString(13, r.ramSha256());
      p.setString(14, r.createdAt().toString());
      p.setString(15, r.lastRestoredAt().toString());
      p.setLong(16, r.restoreCount());
      p.executeUpdate();
    } catch (SQLException e) {
      throw new SnapshotCatalog.CatalogException("cannot save snapshot " + r.id() + ": " + e.getMessage(), e);
    }
  }

  synchronized void deleteSnapshot(String id) throws SnapshotCatalog.CatalogException {
    try (PreparedStatement p = connection.prepareStatement("DELETE FROM snapshots WHERE id = ?")) {
      p.setString(1, id);
      p.executeUpdate();
    } catch (SQLException e) {
      throw new SnapshotCatalog.CatalogException("cannot delete snapshot " + id + ": " + e.getMessage(), e);
    }
  }

  public synchronized void saveFunction(DeployedFunction function) throws StoreException {
    FunctionSpec spec = function.spec();
    String sql = """
        INSERT INTO functions (name, version, runtime, handler, code_format, code_file, code, memory_mb, vcpus,
                               timeout_ms, env_json, created_at, updated_at, network_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET version=excluded.version, runtime=excluded.runtime, handler=excluded.handler,
          code_format=excluded.code_format, code_file=excluded.code_file, code=excluded.code,
          memory_mb=excluded.memory_mb, vcpus=excluded.vcpus, timeout_ms=excluded.timeout_ms,
          env_json=excluded.env_json, updated_at=excluded.updated_at, network_json=excluded.network_json""";
    try (PreparedStatement p = connection.prepareStatement(sql)) {
      p.setString(1, spec.name().value());
      p.setString(2, spec.version());
      p.setString(3, spec.runtime().wireName());
      p.setString(4, spec.handler());
      p.setString(5, spec.code().format().name());
      p.setString(6, spec.code().fileName());
      p.setBytes(7, spec.code().bytes());
      p.setInt(8, spec.memoryMb());
      p.setInt(9, spec.vcpus());
      p.setLong(10, spec.timeout().toMillis());
      p.setString(11, JSON.writeValueAsString(spec.env()));
      p.setString(12, function.createdAt().toString());
      p.setString(13, function.updatedAt().toString());
      p.setString(14, JSON.writeValueAsString(new StoredNetwork(spec.network().mode().wireName(),
          spec.network().allow().stream().map(AllowRule::toString).toList(), spec.network().bandwidthMbit())));
      p.executeUpdate();
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException("cannot save function " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  /** A function's network as the store keeps it (its allow-list as CIDR[:PORT] texts). */
  private record StoredNetwork(String mode, List<String> allow, int bandwidthMbit) {}

  private static NetworkPolicy network(String json) throws JsonProcessingException {
    StoredNetwork stored = JSON.readValue(json, StoredNetwork.class);
    return new NetworkPolicy(NetworkPolicy.Mode.parse(stored.mode()),
        (stored.allow() == null ? List.<String>of() : stored.allow()).stream().map(AllowRule::parse).toList(),
        stored.bandwidthMbit());
  }

  public synchronized boolean deleteFunction(FunctionName name) throws StoreException {
    try (PreparedStatement p = connection.prepareStatement("DELETE FROM functions WHERE name = ?")) {
      p.setString(1, name.value());
      return p.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new StoreException("cannot delete function " + name + ": " + e.getMessage(), e);
    }
  }

  public synchronized List<DeployedFunction> loadFunctions() throws StoreException {
    List<DeployedFunction> functions = new ArrayList<>();
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM functions ORDER BY name")) {
      while (rs.next()) {
        byte[] code = rs.getBytes("code");
        CodeBundle bundle = CodeBundle.Format.valueOf(rs.getString("code_format")) == CodeBundle.Format.ZIP
            ? CodeBundle.zip(code) : CodeBundle.file(rs.getString("code_file"), code);
        Map<String, String> env = JSON.readValue(rs.getString("env_json"), new TypeReference<>() { });
        FunctionSpec spec = new FunctionSpec(FunctionName.of(rs.getString("name")), RuntimeKind.parse(rs.getString("runtime")),
            rs.getString("handler"), bundle, rs.getInt("memory_mb"), rs.getInt("vcpus"),
            Duration.ofMillis(rs.getLong("timeout_ms")), env, network(rs.getString("network_json")));
        functions.add(new DeployedFunction(spec, Instant.parse(rs.getString("created_at")),
            Instant.parse(rs.getString("updated_at"))));
      }
      return functions;
    } catch (SQLException | JsonProcessingException | RuntimeException e) {
      throw new StoreException("cannot load functions: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing at shutdown; nothing to recover
    }
  }
}
