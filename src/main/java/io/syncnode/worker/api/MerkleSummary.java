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

  private static final ThreadLocal<java.security.MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });

  /** An entity's bucket: the first byte of the SHA-256 of its id's UTF-8 bytes, 0 to 255. */
  public static int bucketOf(String id) {
    return SHA_256.get().digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))[0] & 0xff;
  }

  public static String[] emptyBuckets() {
    String[] hashes = new String[BUCKETS];
    Arrays.fill(hashes, EMPTY_BUCKET);
    return hashes;
  }
}
