package dev.faascell.source.lambda;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, as the AWS SDKs and CLI sign Lambda requests, checked against one configured
 * access key and secret (faascell.lambda). Signs too, so that tests can make requests as an SDK would.
 */
final class SigV4 {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  /** How far a request's X-Amz-Date may be from the node's clock (AWS allows 15 minutes). */
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern AUTHORIZATION = Pattern.compile(ALGORITHM
      + " Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*SignedHeaders=([a-z0-9;._-]+),\\s*Signature=([0-9a-f]{64})");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /**
   * What is signed: the decoded path segments (a trailing slash is a last empty segment), decoded query
   * parameters, headers by lower-case name, the body.
   */
  record Request(String method, List<String> pathSegments, List<Map.Entry<String, String>> query,
                 Map<String, String> headers, byte[] body) {}

  private final String accessKeyId;
  private final byte[] secret;

  SigV4(String accessKeyId, String secretAccessKey) {
    this.accessKeyId = accessKeyId;
    this.secret = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
  }

  /** Refuses a request that this key did not sign, or signed too long ago, as Lambda refuses it. */
  void verify(Request request, Instant now) {
    String authorization = request.headers().getOrDefault("authorization", "");
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      throw LambdaError.of(403, "MissingAuthenticationTokenException",
          "this node requires requests signed with AWS Signature Version 4 (faascell.lambda.access-key-id)");
    }
    if (!m.group(1).equals(accessKeyId)) {
      throw LambdaError.of(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String amzDate = request.headers().getOrDefault("x-amz-date", "");
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw LambdaError.of(403, "InvalidSignatureException", "X-Amz-Date is missing or malformed");
    }
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      throw LambdaError.of(403, "InvalidSignatureException", "Signature expired: " + amzDate + " is more than "
          + MAX_SKEW.toMinutes() + " minutes from the node's time " + AMZ_DATE.format(now));
    }
    if (!amzDate.startsWith(m.group(2))) {
      throw LambdaError.of(403, "InvalidSignatureException", "the credential's date does not match X-Amz-Date");
    }
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    if (!signedHeaders.contains("host")) {
      throw LambdaError.of(403, "InvalidSignatureException", "the signature must cover the Host header");
    }
    String expected = signature(request, signedHeaders, amzDate, m.group(3), m.group(4));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), m.group(6).getBytes(StandardCharsets.US_ASCII))) {
      throw LambdaError.of(403, "InvalidSignatureException", "The request signature we calculated does not match the "
          + "signature you provided. Check your AWS Secret Access Key and signing method.");
    }
  }

  /** The Authorization header for {@code request} signed now; the request's headers must hold host and x-amz-date. */
  String authorization(Request request, String region, String service) {
    List<String> signed = request.headers().keySet().stream().sorted().toList();
    String amzDate = request.headers().get("x-amz-date");
    return ALGORITHM + " Credential=" + accessKeyId + "/" + amzDate.substring(0, 8) + "/" + region + "/" + service
        + "/aws4_request, SignedHeaders=" + String.join(";", signed) + ", Signature="
        + signature(request, signed, amzDate, region, service);
  }

  static String amzDate(Instant when) {
    return AMZ_DATE.format(when);
  }

  private String signature(Request request, List<String> signedHeaders, String amzDate, String region, String service) {
    String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest(request, signedHeaders)));
    byte[] key = hmac(secret, amzDate.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return hex(hmac(key, stringToSign));
  }

  /**
   * The canonical request. The SDKs encode a path label once to send it and once more to sign it
   * (every service but S3), so each decoded segment is encoded twice here.
   */
  static String canonicalRequest(Request request, List<String> signedHeaders) {
    StringBuilder path = new StringBuilder();
    for (String segment : request.pathSegments()) {
      path.append('/').append(encode(encode(segment)));
    }
    List<String> query = new ArrayList<>();
    for (Map.Entry<String, String> parameter : request.query()) {
      query.add(encode(parameter.getKey()) + "=" + encode(parameter.getValue()));
    }
    query.sort(null);
    Map<String, String> lowerCase = new HashMap<>();
    request.headers().forEach((name, value) -> lowerCase.put(name.toLowerCase(java.util.Locale.ROOT), value));
    StringBuilder headers = new StringBuilder();
    List<String> names = signedHeaders.stream().sorted().toList();
    for (String name : names) {
      String value = Optional.ofNullable(lowerCase.get(name)).orElse("");
      headers.append(name).append(':').append(SPACES.matcher(value.strip()).replaceAll(" ")).append('\n');
    }
    return request.method() + "\n" + (path.length() == 0 ? "/" : path) + "\n" + String.join("&", query) + "\n"
        + headers + "\n" + String.join(";", names) + "\n"
        + hex(sha256(request.body()));
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 specifies. */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
