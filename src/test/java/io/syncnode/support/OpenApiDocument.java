package io.syncnode.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenAPI document, checked against the OpenAPI schema, and real responses checked against it
 * with vertx-openapi: the status is one the operation documents, the content type one the status
 * documents, the documented headers and the body valid. Every checked response counts as an
 * exercise of its operation ({@link #exercised()}). Request bodies can be checked too.
 *
 * <p>vertx-openapi reads only some media types (JSON, text/plain, ...): a response of another type
 * (text/event-stream, text/plain with parameters) is checked for its status and content type only.
 */
public final class OpenApiDocument {
  private final JsonObject document;
  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private final Map<String, Operation> operations = new HashMap<>();
  private final Set<String> exercised = ConcurrentHashMap.newKeySet();

  private OpenApiDocument(Vertx vertx, JsonObject document, OpenAPIContract contract) {
    this.document = document;
    this.contract = contract;
    this.validator = ResponseValidator.create(vertx, contract);
    for (Operation operation : contract.operations()) {
      operations.put(key(operation.getHttpMethod().name(), operation.getOpenAPIPath()), operation);
    }
  }

  /** Fails unless {@code document} is a valid OpenAPI 3.0 or 3.1 document. */
  public static Future<OpenApiDocument> of(Vertx vertx, JsonObject document) {
    OpenAPIVersion version;
    try {
      version = OpenAPIVersion.fromContract(document);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return version.getRepository(vertx, "app://")
        .compose(repository -> version.validateContract(vertx, repository, document))
        .compose(result -> {
          try {
            result.checkValidity();
            return Future.succeededFuture();
          } catch (JsonSchemaValidationException e) {
            return Future.failedFuture(new AssertionError("not a valid OpenAPI document: " + errors(result), e));
          }
        })
        .compose(valid -> OpenAPIContract.from(vertx, readable(document)))
        .map(contract -> new OpenApiDocument(vertx, document, contract));
  }

  /** "METHOD /path" of every operation the document describes. */
  public Set<String> operations() {
    return new TreeSet<>(operations.keySet());
  }

  /** "METHOD /path" of every operation a response was checked for. */
  public Set<String> exercised() {
    return new TreeSet<>(exercised);
  }

  public static String key(String method, String path) {
    return method + " " + path;
  }

  public JsonObject json() {
    return document.copy();
  }

  public Future<HttpResponse<Buffer>> check(String method, String path, HttpResponse<Buffer> response) {
    return check(method, path, response.statusCode(), response.headers(), response.body()).map(response);
  }

  /** Checks a response of the operation {@code method path}, and records the operation as exercised. */
  public Future<Void> check(String method, String path, int status, MultiMap headers, Buffer body) {
    String key = key(method, path);
    Operation operation = operations.get(key);
    if (operation == null) {
      return fail(key + " is not documented");
    }
    exercised.add(key);
    Response documented = operation.getResponse(status);
    if (documented == null) {
      return fail(key + " answered " + status + ", which it does not document: " + text(body));
    }
    Set<String> types = mediaTypes(operation, status);
    String contentType = headers.get("Content-Type");
    boolean empty = body == null || body.length() == 0;
    if (types.isEmpty()) {
      return empty ? Future.succeededFuture()
          : fail(key + " " + status + " documents no body, and answered " + contentType + ": " + text(body));
    }
    if (contentType == null || !types.contains(contentType)) {
      return fail(key + " " + status + " answered Content-Type " + contentType + ", documented: " + types);
    }
    Map<String, String> documentedHeaders = new HashMap<>();
    for (Parameter header : documented.getHeaders()) {
      String value = headers.get(header.getName());
      if (value != null) {
        // vertx-openapi reads a header value as JSON when it can (so 'Bearer realm="x"' cannot be
        // read, and "12" would be a number): a string is given to it as a JSON string.
        documentedHeaders.put(header.getName(), header.getSchemaType() == SchemaType.STRING ? Json.encode(value) : value);
      }
    }
    ValidatableResponse actual = empty
        ? ValidatableResponse.create(status, documentedHeaders)
        : ValidatableResponse.create(status, documentedHeaders, body, contentType);
    return validator.validate(actual, operation.getOperationId()).<Void>mapEmpty().recover(error -> fail(
        key + " " + status + " does not match the document: " + error.getMessage()
            + (error instanceof SchemaValidationException invalid ? " " + errors(invalid.getOutputUnit()) : "")
            + "\nbody: " + text(body)));
  }

  /** Checks a JSON request body against the body schema of the operation {@code method path}. */
  public Future<Void> checkRequest(String method, String path, Buffer body) {
    String key = key(method, path);
    Operation operation = operations.get(key);
    if (operation == null) {
      return fail(key + " is not documented");
    }
    if (operation.getRequestBody() == null) {
      return fail(key + " documents no request body");
    }
    JsonSchema schema = operation.getRequestBody().determineContentType("application/json").getSchema();
    OutputUnit result = contract.getSchemaRepository().validator(schema).validate(Json.decodeValue(body));
    try {
      result.checkValidity();
      return Future.succeededFuture();
    } catch (JsonSchemaValidationException e) {
      return fail(key + ": the request does not match the document: " + errors(result) + "\nbody: " + text(body));
    }
  }

  /** Checks a body against a schema of components/schemas (for answers no operation describes, such as 404). */
  public Future<Void> checkSchema(String schemaName, Object value) {
    JsonObject schema = contract.getRawContract().getJsonObject("components").getJsonObject("schemas")
        .getJsonObject(schemaName);
    if (schema == null) {
      return fail("components/schemas/" + schemaName + " is not documented");
    }
    OutputUnit result = contract.getSchemaRepository().validator(JsonSchema.of(schema)).validate(value);
    try {
      result.checkValidity();
      return Future.succeededFuture();
    } catch (JsonSchemaValidationException e) {
      return fail(schemaName + " does not match " + value + ": " + errors(result));
    }
  }

  /** The media types the full document names for that response, including those vertx-openapi cannot read. */
  private Set<String> mediaTypes(Operation operation, int status) {
    JsonObject responses = document.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
        .getJsonObject(operation.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT)).getJsonObject("responses");
    JsonObject response = resolve(responses.getJsonObject(Integer.toString(status)));
    JsonObject content = response.getJsonObject("content", new JsonObject());
    return new LinkedHashSet<>(content.fieldNames());
  }

  private JsonObject resolve(JsonObject maybeRef) {
    String ref = maybeRef.getString("$ref");
    if (ref == null) {
      return maybeRef;
    }
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local references are supported: " + ref);
    }
    Object at = document;
    for (String part : ref.substring(2).split("/")) {
      at = ((JsonObject) at).getValue(part.replace("~1", "/").replace("~0", "~"));
    }
    return resolve((JsonObject) at);
  }

  /** The document without the response media types vertx-openapi cannot read (it refuses a contract that has them). */
  private static JsonObject readable(JsonObject document) {
    JsonObject copy = document.copy();
    for (String path : copy.getJsonObject("paths").fieldNames()) {
      JsonObject item = copy.getJsonObject("paths").getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject operation && operation.containsKey("responses")) {
          dropUnreadable(operation.getJsonObject("responses"));
        }
      }
    }
    JsonObject components = copy.getJsonObject("components");
    if (components != null && components.containsKey("responses")) {
      dropUnreadable(components.getJsonObject("responses"));
    }
    return copy;
  }

  private static void dropUnreadable(JsonObject responses) {
    for (String status : responses.fieldNames()) {
      JsonObject content = responses.getJsonObject(status).getJsonObject("content");
      if (content != null) {
        content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
      }
    }
  }

  private static String errors(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors();
    if (errors == null || errors.isEmpty()) {
      return String.valueOf(result.getError());
    }
    StringBuilder out = new StringBuilder();
    for (OutputUnit error : errors) {
      out.append("\n  ").append(error.getInstanceLocation()).append(": ").append(error.getError())
          .append(" (").append(error.getKeywordLocation()).append(')');
    }
    return out.toString();
  }

  private static String text(Buffer body) {
    if (body == null) {
      return "(no body)";
    }
    String text = body.toString();
    return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
  }

  private static <T> Future<T> fail(String message) {
    return Future.failedFuture(new AssertionError(message));
  }
}
