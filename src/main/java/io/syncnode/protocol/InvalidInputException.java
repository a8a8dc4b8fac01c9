package io.syncnode.protocol;

/**
 * A request that cannot be accepted as sent. {@code field} is the JSON path of the offending
 * value (for example {@code memories[2].vector_clock.laptop}), or null when the whole body is at fault.
 */
public class InvalidInputException extends RuntimeException {
  private final String field;

  public InvalidInputException(String field, String problem) {
    super(problem, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }

  public String problem() {
    return getMessage();
  }

  /** "field: problem", or just the problem when no field is named. */
  public String detail() {
    return field == null || field.isEmpty() ? getMessage() : field + ": " + getMessage();
  }
}
