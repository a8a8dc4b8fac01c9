package io.syncnode.http.common;

/** An error answered to the client as {@code {error, detail, field}} with an HTTP status. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;

  public ApiError(int status, String code, String detail, String field) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public static ApiError unavailable(String detail) {
    return new ApiError(503, "unavailable", detail, null);
  }

  public static ApiError internal() {
    return new ApiError(500, "internal_error", "the server failed to handle the request", null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
