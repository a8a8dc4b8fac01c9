package io.syncnode.http;

import io.vertx.ext.web.RoutingContext;

/** Which tenant a request belongs to. Without authentication every request is the default tenant's. */
final class Tenancy {
  static final String DEFAULT_TENANT = "default";
  private static final String KEY = "syncnode.tenant";

  private Tenancy() {}

  static void assign(RoutingContext ctx, String tenant) {
    ctx.put(KEY, tenant);
  }

  static String of(RoutingContext ctx) {
    String tenant = ctx.get(KEY);
    return tenant != null ? tenant : DEFAULT_TENANT;
  }
}
