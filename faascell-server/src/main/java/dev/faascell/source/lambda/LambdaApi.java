package dev.faascell.source.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.InvocationResult;
import dev.faascell.node.NodeApi;
import dev.faascell.registry.DeployedFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda front door (docs/LAMBDA.md): Lambda's Invoke and function-management operations under
 * {@code /2015-03-31/functions} on the node's HTTP port, answering as Lambda answers, so that the AWS
 * SDKs and CLI work unchanged. Its functions are FaaSCell's: it deploys and invokes through the same
 * {@link NodeApi} as FaaSCell's own API.
 */
public final class LambdaApi extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(LambdaApi.class);
  private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_MAX_ITEMS = 50;
  private static final int MAX_ITEMS = 10_000;

  /**
   * @param region          the region of the ARNs this node reports
   * @param accessKeyId     the one access key whose SigV4 signatures are accepted when signatures are required
   * @param requireSignature whether requests must be signed (the node requires a token: it is reachable off loopback)
   */
  public record Settings(String region, String accessKeyId, String secretAccessKey, boolean requireSignature,
                         int maxPayloadBytes, int maxCodeBytes) {}

  private final NodeApi node;
  private final Settings settings;
  private final ObjectMapper json = new ObjectMapper();
  private final LambdaFunctions functions;
  private final SigV4 signatures;

  public LambdaApi(NodeApi node, Settings settings) {
    this.node = node;
    this.settings = settings;
    this.functions = new LambdaFunctions(json, node.limits(), settings.maxCodeBytes(), settings.region());
    this.signatures = new SigV4(settings.accessKeyId(), settings.secretAccessKey());
  }

  public Route routes() {
    long maxBody = Math.max(settings.maxPayloadBytes(), (long) settings.maxCodeBytes() * 4 / 3 + (1 << 20));
    return pathPrefix("2015-03-31", () -> handleExceptions(exceptions(), () -> handleRejections(rejections(), () ->
        extractRequest(request -> {
          long received = System.nanoTime();
          var length = request.entity().getContentLengthOption();
          if (length.isPresent() && length.getAsLong() > maxBody) {
            throw LambdaError.tooLarge("the request body is " + length.getAsLong() + " bytes; the limit is " + maxBody);
          }
          return extractStrictEntity(BODY_READ_TIMEOUT, maxBody, entity -> {
            byte[] body = entity.getData().toArray();
            if (settings.requireSignature()) {
              authenticate(request, entity, body);
            }
            return operations(body, received);
          });
        }))));
  }

  private Route operations(byte[] body, long received) {
    return pathPrefix("functions", () -> concat(
        pathEndOrSingleSlash(() -> concat(
            get(this::listFunctions),
            post(() -> createFunction(body)))),
        pathPrefix(PathMatchers.segment(), raw -> parameterOptional("Qualifier", qualifier -> {
          FunctionRef ref = FunctionRef.parse(raw).withQualifier(qualifier);
          return concat(
              pathEndOrSingleSlash(() -> concat(
                  get(() -> getFunction(ref)),
                  delete(() -> deleteFunction(ref)))),
              path("configuration", () -> get(() -> json(200, functions.configuration(deployed(ref))))),
              path("code", () -> put(() -> updateFunctionCode(ref, body))),
              path("invocations", () -> post(() -> invoke(ref, body, received))));
        }))));
  }

  // ---- function management -------------------------------------------------------------------

  private Route createFunction(byte[] body) {
    FunctionSpec spec = functions.create(body);
    if (node.function(spec.name()).isPresent()) {
      throw LambdaError.conflict("Function already exist: " + spec.name());
    }
    return deploy(spec, 201);
  }

  private Route updateFunctionCode(FunctionRef ref, byte[] body) {
    return deploy(functions.updateCode(deployed(ref).spec(), body), 200);
  }

  private Route getFunction(FunctionRef ref) {
    ObjectNode document = json.createObjectNode();
    document.set("Configuration", functions.configuration(deployed(ref)));
    document.putObject("Code").put("RepositoryType", "FaaSCell");
    return json(200, document);
  }

  private Route listFunctions() {
    return parameterOptional("Marker", marker -> parameterOptional("MaxItems", maxItems -> {
      int max = maxItems.map(LambdaApi::maxItems).orElse(DEFAULT_MAX_ITEMS);
      List<DeployedFunction> after = node.functions().stream()
          .filter(f -> marker.isEmpty() || f.spec().name().value().compareTo(marker.get()) > 0)
          .toList();
      ObjectNode document = json.createObjectNode();
      var list = document.putArray("Functions");
      after.stream().limit(max).forEach(f -> list.add(functions.configuration(f)));
      if (after.size() > max) {
        document.put("NextMarker", after.get(max - 1).spec().name().value());
      }
      return json(200, document);
    }));
  }

  private Route deleteFunction(FunctionRef ref) {
    ref.requireLatest(functions.arn(ref.name()));
    return stored(node.delete(ref.name()), removed -> {
      if (!removed) {
        throw notFound(ref);
      }
      log.info("event=function-deleted api=lambda function={}", ref.name());
      return complete(HttpResponse.create().withStatus(204));
    });
  }

  /** Deploys the function and answers with its configuration. */
  private Route deploy(FunctionSpec spec, int status) {
    return stored(node.deploy(spec), outcome -> {
      log.info("event=function-deployed api=lambda function={} version={}", spec.name(), spec.version());
      return json(status, functions.configuration(node.function(spec.name()).orElseThrow()));
    });
  }

  /** Answers with a store operation's result once the node's store thread has it; a failing store is a service error. */
  private <T> Route stored(CompletionStage<T> operation, Function<T, Route> inner) {
    return onComplete(operation, done -> {
      if (done.isSuccess()) {
        return inner.apply(done.get());
      }
      throw NodeApi.storeFailure(done.failed().get(),
          e -> LambdaError.service("the node's store failed: " + e.getMessage()));
    });
  }

  private static int maxItems(String raw) {
    try {
      int value = Integer.parseInt(raw);
      if (value >= 1 && value <= MAX_ITEMS) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw LambdaError.invalidParameter("MaxItems must be an integer from 1 to " + MAX_ITEMS + ", got '" + raw + "'");
  }

  // ---- Invoke --------------------------------------------------------------------------------

  private Route invoke(FunctionRef ref, byte[] payload, long received) {
    FunctionSpec function = deployed(ref).spec();
    return optionalHeaderValueByName("X-Amz-Invocation-Type", type -> optionalHeaderValueByName("X-Amz-Log-Type", logType -> {
      String invocationType = type.orElse("RequestResponse");
      boolean tail = logType.map(t -> switch (t) {
        case "Tail" -> true;
        case "None" -> false;
        default -> throw LambdaError.invalidParameter("X-Amz-Log-Type must be None or Tail, got '" + t + "'");
      }).orElse(false);
      if (payload.length > settings.maxPayloadBytes()) {
        throw LambdaError.tooLarge("the payload is " + payload.length + " bytes; the limit is "
            + settings.maxPayloadBytes() + " (faascell.api.max-payload-bytes)");
      }
      return switch (invocationType) {
        case "DryRun" -> complete(HttpResponse.create().withStatus(204));
        case "Event" -> {
          String id = UUID.randomUUID().toString();
          submit(id, function, payload, received).whenComplete((result, error) -> {
            if (error != null) {
              log.warn("event=event-invocation-unanswered function={} invocation={} error={}", function.name(), id,
                  error.toString());
            }
          });
          yield complete(HttpResponse.create().withStatus(202).addHeader(RawHeader.create("x-amzn-RequestId", id)));
        }
        case "RequestResponse" -> onSuccess(submit(UUID.randomUUID().toString(), function, payload, received), result -> {
          InvokeReply reply = InvokeReply.of(result, function.runtime(), function.memoryMb(), tail,
              node.retryAfterSeconds());
          HttpResponse response = HttpResponse.create().withStatus(reply.status())
              .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, reply.body()));
          for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            response = response.addHeader(RawHeader.create(header.getKey(), header.getValue()));
          }
          return complete(response);
        });
        default -> throw LambdaError.invalidParameter("X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, got '"
            + invocationType + "'");
      };
    }));
  }

  private CompletionStage<InvocationResult> submit(String id, FunctionSpec function, byte[] payload, long received) {
    try {
      return node.invoke(id, function, payload, received);
    } catch (InvalidInputException e) {
      throw LambdaError.invalidContent("Could not parse request body into json: " + e.getMessage());
    }
  }

  // ---- authentication ------------------------------------------------------------------------

  private void authenticate(HttpRequest request, HttpEntity.Strict entity, byte[] body) {
    if (settings.accessKeyId().isEmpty() || settings.secretAccessKey().isEmpty()) {
      throw LambdaError.of(403, "UnrecognizedClientException", "this node requires signed Lambda requests but has no "
          + "key to check them with: set faascell.lambda.access-key-id and secret-access-key");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpHeader header : request.getHeaders()) {
      headers.merge(header.lowercaseName(), header.value(), (a, b) -> a + "," + b);
    }
    // pekko keeps these two in the entity, not among the headers
    if (!entity.getContentType().equals(ContentTypes.NO_CONTENT_TYPE)) {
      headers.put("content-type", entity.getContentType().toString());
    }
    headers.put("content-length", Long.toString(body.length));
    List<String> segments = new ArrayList<>();
    request.getUri().pathSegments().forEach(segments::add);
    if (!segments.isEmpty() && request.getUri().path().endsWith("/")) {
      segments.add("");   // botocore signs ListFunctions as /2015-03-31/functions/
    }
    List<Map.Entry<String, String>> query = new ArrayList<>();
    request.getUri().query().toList().forEach(p -> query.add(Map.entry(p.first(), p.second())));
    signatures.verify(new SigV4.Request(request.method().value(), segments, query, headers, body), Instant.now());
  }

  // ---- helpers -------------------------------------------------------------------------------

  private DeployedFunction deployed(FunctionRef ref) {
    ref.requireLatest(functions.arn(ref.name()));
    return node.function(ref.name()).orElseThrow(() -> notFound(ref));
  }

  private LambdaError notFound(FunctionRef ref) {
    return LambdaError.notFound("Function not found: " + functions.arn(ref.name()));
  }

  private Route json(int status, JsonNode body) {
    return complete(HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes(body))));
  }

  private byte[] bytes(JsonNode body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Route error(LambdaError e) {
    ObjectNode body = json.createObjectNode().put("Type", e.origin()).put(e.messageField(), e.getMessage());
    HttpResponse response = HttpResponse.create().withStatus(e.status())
        .addHeader(RawHeader.create("x-amzn-ErrorType", e.type()))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes(body)));
    if (e.retryAfterSeconds() > 0) {
      response = response.addHeader(RawHeader.create("Retry-After", Long.toString(e.retryAfterSeconds())));
    }
    return complete(response);
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(LambdaError.class, this::error)
        .match(InvalidInputException.class, e -> error(LambdaError.invalidParameter(e.getMessage())))
        .match(EntityStreamSizeException.class, e -> error(LambdaError.tooLarge(
            "the request body exceeds the limit of " + e.limit() + " bytes")))
        // a body shorter than its Content-Length, cut off by the client
        .match(IllegalRequestException.class, e -> error(LambdaError.invalidContent(e.info().summary())))
        .match(java.util.concurrent.TimeoutException.class, e -> error(LambdaError.service(
            "no result within " + node.resultTimeout().toSeconds() + " s")))
        .matchAny(e -> {
          log.error("event=lambda-api-internal-error", e);
          return error(LambdaError.service(String.valueOf(e.getMessage())));
        })
        .build();
  }

  private RejectionHandler rejections() {
    LambdaError unknown = LambdaError.of(404, "UnknownOperationException",
        "FaaSCell does not implement this Lambda operation (see docs/LAMBDA.md)");
    return RejectionHandler.newBuilder()
        .handleAll(Rejection.class, rejections -> error(unknown))
        .handleNotFound(error(unknown))
        .build();
  }
}
