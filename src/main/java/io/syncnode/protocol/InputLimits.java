package io.syncnode.protocol;

/**
 * Bounds on what one request may carry. Anything beyond them is refused with a 4xx that names the
 * field, before anything is stored.
 */
public record InputLimits(
    int idBytes,
    int contentChars,
    int textChars,
    int clockEntries,
    int embeddingLength,
    int metadataDepth,
    int metadataChars,
    int itemsPerPush,
    int manifestEntries,
    int maxPullLimit) {

  public static final InputLimits DEFAULTS =
      new InputLimits(512, 1_048_576, 65_536, 1_024, 8_192, 32, 1_048_576, 10_000, 1_000_000, 10_000);
}
