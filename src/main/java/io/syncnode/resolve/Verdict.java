package io.syncnode.resolve;

/** What a push does to one entity. */
public enum Verdict {
  /** Stored (inserted or overwritten). */
  ACCEPTED,
  /** Stale: the client's clock happened before the stored one. Nothing changes. */
  REJECTED,
  /** Concurrent edits: nothing changes and the client is told about both versions. */
  CONFLICT
}
