package io.syncnode.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The methods each exact path of a router takes: the {@code Allow} header of a 405 answer. */
final class AllowedMethods {
  private final Map<String, String> allowByPath;

  private AllowedMethods(Map<String, String> allowByPath) {
    this.allowByPath = allowByPath;
  }

  /** Reads the routes of {@code router} once all are added; routes of every method or of a prefix are left out. */
  static AllowedMethods of(Router router) {
    Map<String, Set<String>> methods = new HashMap<>();
    for (Route route : router.getRoutes()) {
      if (route.isExactPath() && !route.isRegexPath() && route.getPath() != null && route.methods() != null
          && !route.methods().isEmpty()) {
        Set<String> names = methods.computeIfAbsent(route.getPath(), path -> new TreeSet<>());
        for (HttpMethod method : route.methods()) {
          names.add(method.name());
        }
      }
    }
    Map<String, String> allow = new HashMap<>();
    methods.forEach((path, names) -> allow.put(path, String.join(", ", names)));
    return new AllowedMethods(Map.copyOf(allow));
  }

  /** The value of {@code Allow} for {@code path}, or null for a path no route names. */
  String allow(String path) {
    return allowByPath.get(path);
  }
}
