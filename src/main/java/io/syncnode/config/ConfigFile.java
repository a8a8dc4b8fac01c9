package io.syncnode.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration file read as a JSON object. A file that cannot be used is refused with why: it
 * is missing, not readable, a folder, or not JSON (with the line and column where it stops being JSON).
 */
final class ConfigFile {
  private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");

  private ConfigFile() {}

  static JsonObject read(Path file) {
    String text = text(file);
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ConfigException("configuration file " + file + " is not valid JSON" + where(e));
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new ConfigException("configuration file " + file + " must hold a JSON object, not " + kind(value));
  }

  private static String text(Path file) {
    String problem;
    if (Files.isDirectory(file)) {
      problem = "it is a directory";
    } else {
      try {
        return Files.readString(file);
      } catch (NoSuchFileException e) {
        problem = "no such file";
      } catch (AccessDeniedException e) {
        problem = "permission denied";
      } catch (CharacterCodingException e) {
        problem = "it is not UTF-8 text";
      } catch (IOException e) {
        problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
    }
    throw new ConfigException("cannot read configuration file " + file + " (" + file.toAbsolutePath().normalize()
        + "): " + problem);
  }

  /** Where and why the parser stopped, without the parser's internals. */
  private static String where(DecodeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof JsonProcessingException parse) {
        JsonLocation at = parse.getLocation();
        String position = at == null || at.getLineNr() < 1 ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return position + ": " + reason(parse.getOriginalMessage());
      }
    }
    return "";
  }

  private static String reason(String message) {
    String first = message == null ? "" : message.lines().findFirst().orElse("").trim();
    if (first.startsWith("Unexpected end-of-input") || first.contains("end-of-input")) {
      return "the file ends before the JSON does";
    }
    Matcher unexpected = UNEXPECTED.matcher(first);
    if (unexpected.find()) {
      String rest = first.substring(unexpected.end()).replaceFirst("^:\\s*", "").replaceFirst("^was expecting", "expected");
      return "unexpected '" + unexpected.group(1) + "'" + (rest.isEmpty() ? "" : " (" + rest + ")");
    }
    int internals = first.indexOf(" at [Source");
    String text = internals >= 0 ? first.substring(0, internals) : first;
    return text.isEmpty() ? "not JSON" : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }

  private static String kind(Object value) {
    if (value == null) return "null";
    if (value instanceof JsonArray) return "an array";
    if (value instanceof String) return "a string";
    if (value instanceof Boolean) return "a boolean";
    return "a number";
  }
}
