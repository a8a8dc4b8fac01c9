package io.syncnode.http;

import io.syncnode.http.common.ApiError;

/** The answers about request bodies that more than one class gives. */
final class ApiErrors {
  private ApiErrors() {}

  static ApiError tooLarge(long maxBytes) {
    return new ApiError(413, "payload_too_large",
        "the request body is larger than the server accepts (" + maxBytes + " bytes after decoding)", null);
  }

  /** 503, answered with Retry-After by {@link ErrorResponder}. */
  static ApiError busy() {
    return ApiError.unavailable("the server holds as many request bodies as it can; retry shortly");
  }

  static ApiError spoolFull() {
    return ApiError.unavailable("the server holds as many large push bodies as it can on disk; retry shortly");
  }

  static ApiError unsupportedEncoding(String encoding, boolean decompression) {
    return new ApiError(415, "unsupported_media_type", decompression
        ? "Content-Encoding " + encoding + " is not supported; send the body as is or gzip-encoded"
        : "Content-Encoding " + encoding + " is not accepted; send the body as is (http.decompression is off)", null);
  }
}
