package io.syncnode.protocol.schema;

import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.VectorClock;
import java.time.Instant;
import java.util.List;

/**
 * What a field holds. The kind decides the field's Java type (its record component's), its JSON
 * shape and the SQL type of its column; every reader and writer of fields has one case per kind,
 * so a new field of a known kind needs no code beyond its declaration.
 */
public enum FieldKind {
  /** A JSON string; a text column. */
  TEXT(String.class, "text"),
  /** A JSON array of strings (null read as []); a text[] column. */
  TEXTS(List.class, "text[]"),
  /** A vector clock as a JSON object of counters; a json column (never searched: stored and returned as text). */
  CLOCK(VectorClock.class, "json"),
  /** An ISO-8601 datetime, written in UTC to the microsecond; a timestamptz column. */
  TIME(Instant.class, "timestamp with time zone"),
  /** A JSON object kept as its text (metadata); a json column, which keeps the text as it is. */
  JSON(RawJson.class, "json"),
  /** A JSON array of 32-bit floats, or null; a real[] column. */
  FLOATS(float[].class, "real[]"),
  /** true, false, or null; a boolean column. */
  BOOL(Boolean.class, "boolean"),
  /** A finite number, never null once read; a double precision column. */
  NUMBER(double.class, "double precision");

  private final Class<?> javaType;
  private final String sqlType;

  FieldKind(Class<?> javaType, String sqlType) {
    this.javaType = javaType;
    this.sqlType = sqlType;
  }

  /** The type of the record component that holds the field. */
  public Class<?> javaType() {
    return javaType;
  }

  /** The column's type, as PostgreSQL's format_type names it. */
  public String sqlType() {
    return sqlType;
  }

  /** Whether the column is selected as its text: json values are written into responses as they are. */
  public boolean selectedAsText() {
    return this == CLOCK || this == JSON;
  }
}
