package io.syncnode.store;

import java.util.List;

/** One entity type's part of a diff: what the client lacks or has outdated, what it should delete, what the server lacks. */
public record DiffSlice<E>(List<E> missing, int updated, List<String> deletedIds, List<String> serverMissingIds) {}
