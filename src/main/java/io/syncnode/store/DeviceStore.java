package io.syncnode.store;

import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Responses.DeviceInfo;
import io.syncnode.worker.api.DeviceState;
import io.syncnode.worker.api.PullStart;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/** Devices and their sync state. Every write is a single upsert, so concurrent requests of one device never collide. */
public final class DeviceStore {
  private static final String REGISTER =
      "WITH d AS (INSERT INTO devices (tenant_id, device_id, device_name, platform, client_version, registered_at, updated_at)"
      + " VALUES ($1, $2, $3, $4, $5, statement_timestamp(), statement_timestamp())"
      + " ON CONFLICT (tenant_id, device_id) DO UPDATE SET device_name = excluded.device_name,"
      + " platform = excluded.platform, client_version = excluded.client_version, updated_at = excluded.updated_at"
      + " RETURNING *)"
      + " SELECT d.device_id, d.device_name, d.platform, d.client_version, d.registered_at,"
      + " s.last_sync_at, s.pull_server_timestamp, s.pull_position"
      + " FROM d LEFT JOIN sync_state s ON s.tenant_id = d.tenant_id AND s.device_id = d.device_id";

  private static final String FIND =
      "SELECT d.device_id, d.device_name, d.platform, d.client_version, d.registered_at,"
      + " s.last_sync_at, s.pull_server_timestamp, s.pull_position"
      + " FROM devices d LEFT JOIN sync_state s ON s.tenant_id = d.tenant_id AND s.device_id = d.device_id"
      + " WHERE d.tenant_id = $1 AND d.device_id = $2";

  /** Parameters $1 tenant, $2 device; returns the feed time the device has pulled up to. */
  static final String RECORD_PUSH =
      "INSERT INTO sync_state (tenant_id, device_id, last_push_at, last_sync_at)"
      + " VALUES ($1, $2, statement_timestamp(), statement_timestamp())"
      + " ON CONFLICT (tenant_id, device_id) DO UPDATE SET last_push_at = excluded.last_push_at,"
      + " last_sync_at = excluded.last_sync_at RETURNING pull_server_timestamp";

  private static final String RECORD_DIFF =
      "INSERT INTO sync_state (tenant_id, device_id, last_sync_at) VALUES ($1, $2, statement_timestamp())"
      + " ON CONFLICT (tenant_id, device_id) DO UPDATE SET last_sync_at = excluded.last_sync_at";

  private static final String RECORD_PULL =
      "INSERT INTO sync_state (tenant_id, device_id, last_pull_at, last_sync_at, pull_position, pull_server_timestamp)"
      + " VALUES ($1, $2, statement_timestamp(), statement_timestamp(), $3, $4)"
      + " ON CONFLICT (tenant_id, device_id) DO UPDATE SET last_pull_at = excluded.last_pull_at,"
      + " last_sync_at = excluded.last_sync_at,"
      + " pull_position = GREATEST(sync_state.pull_position, excluded.pull_position),"
      + " pull_server_timestamp = GREATEST(sync_state.pull_server_timestamp, excluded.pull_server_timestamp)";

  // Parameters: $1 tenant, $2 device, $3 since (null: none). The bound of the last feed mark at or
  // before since is read with it, in the same round trip (see FeedMarks).
  private static final String PULL_START =
      "SELECT (SELECT pull_position FROM sync_state WHERE tenant_id = $1 AND device_id = $2) AS pull_position,"
      + " (SELECT bound FROM feed_marks WHERE marked_at <= $3 ORDER BY marked_at DESC LIMIT 1) AS marked_bound";

  private final Pool pool;
  /** Where a pull's start is read and the pull recorded: the client of pull pages ({@link Database#pullClient}). */
  private final SqlClient pullClient;

  public DeviceStore(Pool pool, SqlClient pullClient) {
    this.pool = pool;
    this.pullClient = pullClient;
  }

  public Future<DeviceState> register(String tenant, Requests.Register registration) {
    Tuple params = Tuple.of(tenant, registration.deviceId(), registration.deviceName(), registration.platform(),
        registration.clientVersion());
    return pool.preparedQuery(REGISTER).execute(params).map(rows -> state(rows.iterator().next()));
  }

  /** The device, or null when it is not registered. */
  public Future<DeviceState> find(String tenant, String deviceId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(tenant, deviceId))
        .map(rows -> rows.size() == 0 ? null : state(rows.iterator().next()));
  }

  /**
   * Records a push and answers the feed time the device has pulled up to (null if it never pulled).
   * A push is answered with its own time: the device's pull position, not this time, is what keeps
   * its next pull from missing others' changes (see {@link io.syncnode.protocol.Requests.Pull#byTime()}).
   */
  public Future<Instant> recordPush(String tenant, String deviceId) {
    return pool.preparedQuery(RECORD_PUSH).execute(Tuple.of(tenant, deviceId)).map(DeviceStore::pulledUpTo);
  }

  static Instant pulledUpTo(io.vertx.sqlclient.RowSet<Row> recordPushRows) {
    return StoredText.instant(recordPushRows.iterator().next().getOffsetDateTime(0));
  }

  public Future<Void> recordDiff(String tenant, String deviceId) {
    return pool.preparedQuery(RECORD_DIFF).execute(Tuple.of(tenant, deviceId)).mapEmpty();
  }

  /**
   * Moves the device's pull cursor forward (never back) to {@code position}. Committed without
   * waiting for the WAL flush (see {@link Database#pullClient}): a lost record only moves it back.
   */
  public Future<Void> recordPull(String tenant, String deviceId, long position, Instant serverTimestamp) {
    return pullClient.preparedQuery(RECORD_PULL)
        .execute(Tuple.of(tenant, deviceId, position, StoredText.utc(serverTimestamp))).mapEmpty();
  }

  /** Where a pull by time of the device may start reading the feed, see {@link PullStart}. */
  public Future<PullStart> pullStart(String tenant, String deviceId, Instant since) {
    return pullClient.preparedQuery(PULL_START).execute(Tuple.of(tenant, deviceId, StoredText.utc(since))).map(rows -> {
      Row row = rows.iterator().next();
      Long pulled = row.getLong("pull_position");
      Long marked = row.getLong("marked_bound");
      return new PullStart(pulled == null ? 0 : pulled, marked == null ? 0 : marked);
    });
  }

  private static DeviceState state(Row row) {
    Long position = row.getLong("pull_position");
    return new DeviceState(new DeviceInfo(
        row.getString("device_id"),
        row.getString("device_name"),
        row.getString("platform"),
        row.getString("client_version"),
        StoredText.instant(row.getOffsetDateTime("registered_at")),
        StoredText.instant(row.getOffsetDateTime("last_sync_at")),
        StoredText.instant(row.getOffsetDateTime("pull_server_timestamp"))),
        position == null ? 0 : position);
  }
}
