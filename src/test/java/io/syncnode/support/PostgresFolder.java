package io.syncnode.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A temporary folder for a private PostgreSQL that bin/syncnode starts: the {@code postgres} user,
 * which runs it when the tests run as root, must be able to enter it, and bin/syncnode changes no
 * folder it did not create.
 */
public final class PostgresFolder {
  private PostgresFolder() {}

  public static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }
}
