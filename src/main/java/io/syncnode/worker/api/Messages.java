package io.syncnode.worker.api;

import io.syncnode.protocol.Requests;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.resolve.BatchResolution;
import java.time.Instant;
import java.util.List;

/** The bodies sent between the HTTP verticle and the workers; immutable, passed by reference. */
public final class Messages {
  private Messages() {}

  /**
   * One type's batch of a push; {@code opensPush} on the first batch the request stores, whose
   * transaction the worker records the device's push in.
   */
  public record PushBatch<E extends SyncEntity>(
      String tenant, String deviceId, boolean force, List<E> entities, boolean opensPush) {}

  /** A stored batch's verdicts; {@code pulledUpTo} is as in {@link PulledUpTo}, when the batch recorded the push. */
  public record PushOutcome<E extends SyncEntity>(BatchResolution<E> resolution, boolean recordedPush, Instant pulledUpTo) {}

  public record FeedPositionsQuery(FeedQuery query, int limit, boolean withAbove) {}

  public record FeedJsonQuery(FeedQuery query, int rowsExpected) {}

  public record FeedRowsQuery(FeedQuery query, int atMost) {}

  /**
   * One chunk of a streamed answer. If not {@code last}, the rest is asked for with
   * {@link NextChunk} at {@code address}, where the worker instance keeps the cursor open.
   */
  public record Chunk<T>(String address, String streamId, List<T> items, boolean last) {
    /** An answer read whole: its only chunk. */
    public static <T> Chunk<T> whole(List<T> items) {
      return new Chunk<>(null, null, items, true);
    }
  }

  public record NextChunk(String streamId) {}

  /** The reader of a stream gives up; the worker closes the cursor. */
  public record CancelStream(String streamId) {}

  /** Counts the changes other devices than {@code deviceId} made after {@code position}. */
  public record CountAfter(String tenant, long position, String deviceId) {}

  /** Asks for the position a device has pulled up to (0 if it never pulled). */
  public record FindPullStart(String tenant, String deviceId, Instant since) {}

  public record DiffQuery(String tenant, List<Requests.ManifestEntry> manifest, List<String> namespaceIds) {}

  /** A diff manifest's entries of one type that carry {@code deleted_at}, to apply as tombstones of the device. */
  public record ManifestDeletes(String tenant, String deviceId, List<Requests.ManifestEntry> entries) {}

  /** The Merkle summary of a type, or with {@code buckets} the entries of those buckets. */
  public record MerkleQuery(String tenant, List<String> namespaceIds, int[] buckets) {}

  public record RegisterDevice(String tenant, Requests.Register registration) {}

  public record FindDevice(String tenant, String deviceId) {}

  /** Something a device did that its sync state records. */
  public record DeviceActivity(String tenant, String deviceId, Kind kind, long pullPosition, Instant serverTimestamp) {
    public enum Kind { PUSH, PULL, DIFF }

    public static DeviceActivity push(String tenant, String deviceId) {
      return new DeviceActivity(tenant, deviceId, Kind.PUSH, 0, null);
    }

    public static DeviceActivity diff(String tenant, String deviceId) {
      return new DeviceActivity(tenant, deviceId, Kind.DIFF, 0, null);
    }

    public static DeviceActivity pull(String tenant, String deviceId, long position, Instant serverTimestamp) {
      return new DeviceActivity(tenant, deviceId, Kind.PULL, position, serverTimestamp);
    }
  }

  /** The feed time a device has pulled up to; null if it never pulled. */
  public record PulledUpTo(Instant time) {}

  /** Asks for the feed's current watermark. */
  public record WatermarkQuery() {}
}
