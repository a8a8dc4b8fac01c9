package io.syncnode.config;

/** A command line that cannot be run: exit status 2, the message and the usage on stderr. */
public final class UsageException extends IllegalArgumentException {
  public UsageException(String message) {
    super(message);
  }

  /** "unknown option --x" for what looks like an option, "unexpected argument x" for anything else. */
  public static UsageException unexpected(String argument) {
    return new UsageException(argument.startsWith("-") && argument.length() > 1
        ? "unknown option " + argument : "unexpected argument " + argument);
  }
}
