package io.syncnode.worker.api;

/**
 * One difference between a manifest and the stored rows: an entity the client lacks
 * ({@code MISSING}) or has with other content ({@code UPDATED}), both with the stored entity; an
 * id the client should delete ({@code DELETED}); an id the server lacks ({@code SERVER_MISSING}).
 */
public record DiffRow<E>(Kind kind, String id, E entity) {
  public enum Kind { MISSING, UPDATED, DELETED, SERVER_MISSING }
}
