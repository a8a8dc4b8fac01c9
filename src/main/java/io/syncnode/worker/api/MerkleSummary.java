package io.syncnode.worker.api;

import java.util.Arrays;

/**
 * One entity type's 256 bucket hashes. An entity's bucket is the first byte of the SHA-256 of
 * its id (UTF-8); a bucket's hash is the hex SHA-256 of the lines {@code id \n content_hash \n
 * deleted(0|1) \n} of its entities, ordered by the bytes of the id (a missing hash is empty).
 */
public record MerkleSummary(long count, String[] bucketHashes) {
  public static final int BUCKETS = 256;
  /** The hash of a bucket with no entity: SHA-256 of nothing. */
  public static final String EMPTY_BUCKET = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  public static String[] emptyBuckets() {
    String[] hashes = new String[BUCKETS];
    Arrays.fill(hashes, EMPTY_BUCKET);
    return hashes;
  }
}
