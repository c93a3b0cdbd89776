package dev.faascell.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.cluster.ClusterLink;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.InvocationResult;
import dev.faascell.node.NodeApi;
import dev.faascell.registry.DeployedFunction;
import dev.faascell.registry.FunctionRegistry;
import dev.faascell.sink.TraceJson;
import dev.faascell.snapshot.SnapshotOutcome;
import dev.faascell.vmm.SnapshotFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP Source: FaaSCell's one documented API (docs/API.md). It validates every input at the edge
 * (names, JSON, sizes), hands the work to the node ({@link NodeApi}), and renders each result with
 * its start kind and timing. Only this class knows HTTP.
 */
public final class HttpApi extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The API's limits and the bearer token every request but the health check must carry (empty: none).
   */
  public record Limits(int maxPayloadBytes, int maxCodeBytes, String token) {}

  private final NodeApi node;
  private final Limits limits;
  private final Optional<ClusterLink> cluster;
  private final ObjectMapper json = new ObjectMapper();
  private final ApiJson documents = new ApiJson(json);

  /** @param cluster the cluster the node is in (faascell.kafka): invocations then go through it */
  public HttpApi(NodeApi node, Limits limits, Optional<ClusterLink> cluster) {
    this.node = node;
    this.limits = limits;
    this.cluster = cluster;
  }

  public Route routes() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
        path("healthz", () -> get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"ok\":true}")))),
        authorized(this::api))));
  }

  /** Requests must carry the configured bearer token (compared in constant time), if there is one. */
  private Route authorized(java.util.function.Supplier<Route> inner) {
    if (limits.token().isEmpty()) {
      return inner.get();
    }
    byte[] expected = ("Bearer " + limits.token()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return optionalHeaderValueByName("Authorization", header -> {
      byte[] given = header.orElse("").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (!java.security.MessageDigest.isEqual(expected, given)) {
        return complete(HttpResponse.create().withStatus(401)
            .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"faascell\""))
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, jsonBytes(documents.error(401, "unauthorized",
                "this node requires Authorization: Bearer <token> (faascell.api.token)")))));
      }
      return inner.get();
    });
  }

  private Route api() {
    return concat(
        pathPrefix("v1", () -> concat(
            path("functions", () -> get(this::listFunctions)),
            pathPrefix("functions", () -> pathPrefix(PathMatchers.segment(), rawName -> concat(
                pathEnd(() -> concat(
                    put(() -> deploy(rawName)),
                    get(() -> showFunction(rawName)),
                    delete(() -> deleteFunction(rawName)))),
                path("invoke", () -> post(() -> invoke(rawName))),
                path("snapshot", () -> post(() -> takeSnapshot(rawName)))))),
            path("snapshots", () -> get(this::listSnapshots)),
            path("invocations", () -> get(this::invocations)),
            pathPrefix("snapshots", () -> path(PathMatchers.segment(), id -> delete(() -> deleteSnapshot(id)))),
            path("status", () -> get(this::status)))),
        path("metrics", () -> get(() -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, node.metrics())))));
  }

  // ---- functions -----------------------------------------------------------------------------

  private Route listFunctions() {
    return completeJson(200, documents.functions(node.functions()));
  }

  private Route showFunction(String rawName) {
    return completeJson(200, documents.function(deployed(name(rawName))));
  }

  private Route deploy(String rawName) {
    FunctionName name = name(rawName);
    long maxBody = (long) limits.maxCodeBytes() * 4 / 3 + (1 << 20);
    return strictBody(maxBody, "a function spec (faascell.api.max-code-bytes, base64-encoded)", entity -> {
      FunctionSpec spec = FunctionRequest.parse(name, entity.getData().toArray(), node.limits(),
          limits.maxCodeBytes(), json);
      return stored(node.deploy(spec), outcome -> {
        log.info("event=function-deployed function={} version={} outcome={}", name, spec.version(), outcome);
        JsonNode body = documents.function(deployed(name)).put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
        return completeJson(outcome == FunctionRegistry.DeployOutcome.CREATED ? 201 : 200, body);
      });
    });
  }

  private Route deleteFunction(String rawName) {
    FunctionName name = name(rawName);
    return stored(node.delete(name), removed -> {
      if (!removed) {
        throw ApiException.notFound("function " + name + " is not deployed");
      }
      log.info("event=function-deleted function={}", name);
      return complete(StatusCodes.NO_CONTENT);
    });
  }

  // ---- invocations ---------------------------------------------------------------------------

  private Route invoke(String rawName) {
    long received = System.nanoTime();
    FunctionSpec function = deployed(name(rawName)).spec();
    return strictBody(limits.maxPayloadBytes(), "a payload (faascell.api.max-payload-bytes)", entity -> {
      byte[] payload = entity.getData().toArray();
      if (cluster.isPresent()) {
        NodeApi.checkPayload(function, payload);
        return onSuccess(cluster.get().invoke(UUID.randomUUID().toString(), function.name(), payload),
            answer -> reply(answer.status(), answer.document()));
      }
      return onSuccess(node.invoke(function, payload, received), this::reply);
    });
  }

  /** The whole body, refused with 400 when it is larger than {@code limit}. */
  private Route strictBody(long limit, String what, java.util.function.Function<HttpEntity.Strict, Route> inner) {
    return extractRequestEntity(entity -> {
      var length = entity.getContentLengthOption();
      if (length.isPresent() && length.getAsLong() > limit) {
        throw ApiException.badRequest("the body is " + length.getAsLong() + " bytes; the limit for " + what + " is "
            + limit + " bytes");
      }
      return extractStrictEntity(BODY_READ_TIMEOUT, limit, inner);
    });
  }

  private Route reply(InvocationResult result) {
    return reply(ApiJson.status(result), documents.invocation(result));
  }

  /** An invocation's answer, from this node or, through the cluster, another. */
  private Route reply(int status, byte[] document) {
    HttpResponse response = HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, document));
    if (status == FailureKind.QUEUE_FULL.httpStatus()) {
      response = response.addHeader(RawHeader.create("Retry-After", Long.toString(node.retryAfterSeconds())));
    }
    return complete(response);
  }

  // ---- snapshots -----------------------------------------------------------------------------

  private static final java.util.regex.Pattern SNAPSHOT_ID = java.util.regex.Pattern.compile("[a-z0-9-]{1,80}");

  private Route listSnapshots() {
    return onSuccess(node.snapshots(), snapshots -> completeJson(200, documents.snapshots(snapshots)));
  }

  private Route deleteSnapshot(String id) {
    if (!SNAPSHOT_ID.matcher(id).matches()) {
      throw ApiException.badRequest("invalid snapshot id");
    }
    return onSuccess(node.deleteSnapshot(id), found -> {
      if (!found) {
        throw ApiException.notFound("no snapshot " + id);
      }
      return complete(StatusCodes.NO_CONTENT);
    });
  }

  /** Boots a fresh VM of the function, snapshots it after its code loaded, and answers when it is stored. */
  private Route takeSnapshot(String rawName) {
    FunctionSpec function = deployed(name(rawName)).spec();
    return parameterOptional("format", format -> {
      SnapshotFormat snapshotFormat;
      try {
        snapshotFormat = SnapshotFormat.parse(format.orElse("shared-ram"));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
      return onSuccess(node.takeSnapshot(function, snapshotFormat), result -> {
        if (result instanceof SnapshotOutcome.Created created) {
          return completeJson(201, documents.snapshot(created.snapshot()));
        }
        throw new ApiException(503, "snapshot-failed", ((SnapshotOutcome.Failed) result).reason());
      });
    });
  }

  // ---- status --------------------------------------------------------------------------------

  private Route status() {
    return onSuccess(node.status(), status -> {
      var document = documents.status(status.pool(), status.queue(), status.hostSamples(), status.snapshots(),
          status.vmmDescription(), status.imageId());
      cluster.ifPresent(link -> document.set("cluster", link.status()));
      return completeJson(200, document);
    });
  }

  private static final int MAX_INVOCATIONS = 10_000;

  /** The latest trace records: GET /v1/invocations?function=&since=&limit= */
  private Route invocations() {
    return parameterOptional("function", function -> parameterOptional("since", since ->
        parameterOptional("limit", limit -> {
          Optional<FunctionName> name = function.map(HttpApi::name);
          long sinceMillis = since.map(HttpApi::parseSince).orElse(0L);
          int max;
          try {
            max = limit.map(Integer::parseInt).orElse(100);
          } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a number, got " + limit.get());
          }
          if (max < 1 || max > MAX_INVOCATIONS) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_INVOCATIONS);
          }
          return onSuccess(node.invocations(name, sinceMillis, max), results -> complete(HttpResponse.create().withStatus(200)
              .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, traces(results)))));
        })));
  }

  private static long parseSince(String since) {
    try {
      return since.chars().allMatch(Character::isDigit) ? Long.parseLong(since) : java.time.Instant.parse(since).toEpochMilli();
    } catch (RuntimeException e) {
      throw ApiException.badRequest("since must be epoch milliseconds or an ISO-8601 instant, got '" + since + "'");
    }
  }

  private static String traces(List<InvocationResult> results) {
    StringBuilder out = new StringBuilder("{\"invocations\":[");
    for (int i = 0; i < results.size(); i++) {
      out.append(i == 0 ? "" : ",").append(TraceJson.of(results.get(i)));
    }
    return out.append("]}").toString();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static FunctionName name(String raw) {
    return FunctionName.of(raw);
  }

  private DeployedFunction deployed(FunctionName name) {
    return node.function(name).orElseThrow(() -> ApiException.notFound("function " + name + " is not deployed"));
  }

  /**
   * Answers with a store operation's result once the node's store thread has it; a failing store is
   * the node's fault (500), never the caller's, and a refused spec is the caller's (400).
   */
  private <T> Route stored(CompletionStage<T> operation, java.util.function.Function<T, Route> inner) {
    return onComplete(operation, done -> {
      if (done.isSuccess()) {
        return inner.apply(done.get());
      }
      throw NodeApi.storeFailure(done.failed().get(), e -> new ApiException(500, "store-error", e.getMessage()));
    });
  }

  private Route completeJson(int status, JsonNode body) {
    return complete(HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, jsonBytes(body))));
  }

  private byte[] jsonBytes(JsonNode body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(ApiException.class, e -> completeJson(e.status(), documents.error(e.status(), e.kind(), e.getMessage())))
        .match(InvalidInputException.class, e -> completeJson(400, documents.error(400, "bad-request", e.getMessage())))
        .match(EntityStreamSizeException.class, e -> completeJson(400, documents.error(400, "bad-request",
            "the body exceeds the limit of " + e.limit() + " bytes (faascell.api.max-payload-bytes / max-code-bytes)")))
        // a body shorter than its Content-Length, cut off by the client
        .match(IllegalRequestException.class, e -> completeJson(e.status().intValue(), documents.error(
            e.status().intValue(), "bad-request", e.info().summary())))
        .match(java.util.concurrent.TimeoutException.class, e -> completeJson(500, documents.error(500, "internal",
            "no result within " + node.resultTimeout().toSeconds() + " s")))
        .matchAny(e -> {
          log.error("event=api-internal-error", e);
          return completeJson(500, documents.error(500, "internal", String.valueOf(e.getMessage())));
        })
        .build();
  }

  private RejectionHandler rejections() {
    RejectionHandler defaults = RejectionHandler.defaultHandler();
    return RejectionHandler.newBuilder()
        .handleNotFound(completeJson(404, documents.error(404, "not-found", "no such endpoint (see docs/API.md)")))
        .build()
        .withFallback(defaults)
        .mapRejectionResponse(response -> {
          if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
            return response;
          }
          String message = response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
              ? strict.getData().utf8String() : response.status().reason();
          int status = response.status().intValue();
          try {
            return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                json.writeValueAsBytes(documents.error(status, "rejected", message))));
          } catch (IOException e) {
            return response;
          }
        });
  }
}
