package io.syncnode.protocol.schema;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.VectorClock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * One field of an entity type, declared once: its JSON name and column, its {@link FieldKind},
 * how it is read from a push (limit, required or default), how it is written (always, or left out
 * when null), how its column is written, and the accessor of the entity that holds it. Declared
 * with the factories and refined with the methods that return a changed copy, e.g.
 * {@code text("type", Memory::type).limit(InputLimits::idBytes).orElse("fact")}.
 */
public final class Field<E> {
  /** How a batch write fills the field's column. */
  public enum Storage {
    /** From the entity, one array parameter per batch. */
    DATA,
    /** Identifies the row within its tenant (locked, matched, never updated). */
    KEY,
    /** Set by the write statement itself: the pushing device. */
    SET_BY_WRITE,
    /** Computed by the database from other columns; the record derives it too and has no component for it. */
    GENERATED
  }

  private final String name;
  private final FieldKind kind;
  private final Function<? super E, ?> accessor;
  private final ToDoubleFunction<? super E> number;
  private String column;
  private ToIntFunction<InputLimits> limit;
  private boolean identifier;
  private boolean required;
  private Object fallback;
  private boolean fallbackNow;
  private boolean omitWhenNull;
  private Storage storage = Storage.DATA;
  private final SerializedString jsonName;

  private Field(String name, FieldKind kind, Function<? super E, ?> accessor, ToDoubleFunction<? super E> number) {
    this.name = name;
    this.kind = kind;
    this.accessor = accessor;
    this.number = number;
    this.column = name;
    this.jsonName = new SerializedString(name);
  }

  /** A copy of this declaration, changed by {@code change}. */
  private Field<E> with(Consumer<Field<E>> change) {
    Field<E> copy = new Field<>(name, kind, accessor, number);
    copy.column = column;
    copy.limit = limit;
    copy.identifier = identifier;
    copy.required = required;
    copy.fallback = fallback;
    copy.fallbackNow = fallbackNow;
    copy.omitWhenNull = omitWhenNull;
    copy.storage = storage;
    change.accept(copy);
    return copy;
  }

  /** A string of at most limits.textChars characters. */
  public static <E> Field<E> text(String name, Function<? super E, String> accessor) {
    return new Field<E>(name, FieldKind.TEXT, accessor, null).limit(InputLimits::textChars);
  }

  /** A string stored as a key or searched by: not empty, at most limits.idBytes bytes of UTF-8. */
  public static <E> Field<E> identifier(String name, Function<? super E, String> accessor) {
    return Field.<E>text(name, accessor).limit(InputLimits::idBytes).with(field -> field.identifier = true);
  }

  /** At most limits.clockEntries strings of at most limits.textChars characters each; absent or null is []. */
  public static <E> Field<E> texts(String name, Function<? super E, List<String>> accessor) {
    return new Field<E>(name, FieldKind.TEXTS, accessor, null).limit(InputLimits::textChars).orElse(List.of());
  }

  /** A vector clock; absent or null is the empty clock. */
  public static <E> Field<E> clock(String name, Function<? super E, VectorClock> accessor) {
    return new Field<E>(name, FieldKind.CLOCK, accessor, null).orElse(VectorClock.EMPTY);
  }

  public static <E> Field<E> time(String name, Function<? super E, Instant> accessor) {
    return new Field<>(name, FieldKind.TIME, accessor, null);
  }

  /** A JSON object within limits.metadataDepth and limits.metadataChars; absent or null is {}. */
  public static <E> Field<E> json(String name, Function<? super E, RawJson> accessor) {
    return new Field<E>(name, FieldKind.JSON, accessor, null).orElse(RawJson.EMPTY_OBJECT);
  }

  /** At most limits.embeddingLength 32-bit floats, or null. */
  public static <E> Field<E> floats(String name, Function<? super E, float[]> accessor) {
    return new Field<>(name, FieldKind.FLOATS, accessor, null);
  }

  public static <E> Field<E> bool(String name, Function<? super E, Boolean> accessor) {
    return new Field<>(name, FieldKind.BOOL, accessor, null);
  }

  /** A number held as a double component; it needs a default, as a double cannot be absent. */
  public static <E> Field<E> number(String name, ToDoubleFunction<? super E> accessor, double fallback) {
    return new Field<E>(name, FieldKind.NUMBER, e -> accessor.applyAsDouble(e), accessor).orElse(fallback);
  }

  /** The input limit of a TEXT field (characters, or bytes of an identifier), or of each string of TEXTS. */
  public Field<E> limit(ToIntFunction<InputLimits> limit) {
    return with(copy -> copy.limit = limit);
  }

  /** Absent or null in a push refuses the request, naming the field. */
  public Field<E> required() {
    return with(copy -> copy.required = true);
  }

  /** The value given to the field when a push leaves it out or sends null. */
  public Field<E> orElse(Object fallback) {
    return with(copy -> copy.fallback = Objects.requireNonNull(fallback));
  }

  /** Absent or null in a push is the time the push was read. */
  public Field<E> orElseNow() {
    return with(copy -> copy.fallbackNow = true);
  }

  /** Left out of written JSON when null: clients declare the field non-null with a default of their own. */
  public Field<E> omitWhenNull() {
    return with(copy -> copy.omitWhenNull = true);
  }

  public Field<E> storedAs(Storage storage) {
    return with(copy -> copy.storage = storage);
  }

  /** Its column, when it is not named as the JSON field is. */
  public Field<E> column(String column) {
    return with(copy -> copy.column = column);
  }

  public String name() {
    return name;
  }

  /** The name, its JSON quoting done once. */
  public SerializableString jsonName() {
    return jsonName;
  }

  public String column() {
    return column;
  }

  public FieldKind kind() {
    return kind;
  }

  /** The field's value in an entity; a NUMBER boxed (see {@link #number}). */
  public Object value(E entity) {
    return accessor.apply(entity);
  }

  /** A NUMBER field's value, unboxed. */
  public double number(E entity) {
    return number.applyAsDouble(entity);
  }

  public int limit(InputLimits limits) {
    return limit == null ? 0 : limit.applyAsInt(limits);
  }

  public boolean identifier() {
    return identifier;
  }

  public boolean isRequired() {
    return required;
  }

  /** The value of a field a push leaves out or sends null; {@code now} for a field that defaults to the time. */
  public Object fallback(Instant now) {
    return fallbackNow ? now : fallback;
  }

  /** Whether a field read from a push or a row can still be null (a generated one is made of required ones). */
  public boolean nullable() {
    return !required && !fallbackNow && fallback == null && storage != Storage.GENERATED;
  }

  public boolean isOmittedWhenNull() {
    return omitWhenNull;
  }

  public Storage storage() {
    return storage;
  }

  /** Whether the entity's record has a component for the field (all but generated ones). */
  public boolean isComponent() {
    return storage != Storage.GENERATED;
  }

  @Override
  public String toString() {
    return name + " (" + kind + ")";
  }
}
