package io.syncnode.http.common;

import io.vertx.ext.web.RoutingContext;

/** Which tenant a request belongs to. Without authentication every request is the default tenant's. */
public final class Tenancy {
  public static final String DEFAULT_TENANT = "default";
  private static final String KEY = "syncnode.tenant";
  private static final String CLIENT = "syncnode.client";
  private static final String DEVICE = "syncnode.device";

  private Tenancy() {}

  public static void assign(RoutingContext ctx, String tenant) {
    ctx.put(KEY, tenant);
  }

  /** Who is calling, for rate limits: the API key's id. */
  public static void assignClient(RoutingContext ctx, String client) {
    ctx.put(CLIENT, client);
  }

  /** The caller's API key id, or without keys its remote address. */
  public static String client(RoutingContext ctx) {
    String client = ctx.get(CLIENT);
    return client != null ? client : String.valueOf(ctx.request().remoteAddress().hostAddress());
  }

  /** The device a request speaks for, once its body is read (for the request log). */
  public static void assignDevice(RoutingContext ctx, String deviceId) {
    ctx.put(DEVICE, deviceId);
  }

  public static String device(RoutingContext ctx) {
    String device = ctx.get(DEVICE);
    return device != null ? device : "-";
  }

  /** The tenant if the request got that far, else "-". */
  public static String ofOrNone(RoutingContext ctx) {
    String tenant = ctx.get(KEY);
    return tenant != null ? tenant : "-";
  }

  public static String of(RoutingContext ctx) {
    String tenant = ctx.get(KEY);
    return tenant != null ? tenant : DEFAULT_TENANT;
  }
}
