package io.syncnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A clone of the repository builds and tests on its own: nothing in it reaches for a folder beside it. */
class SelfContainedTest {
  /** A path that climbs out of the repository: "../x", or a ".." segment handed to Path.of / Paths.get. */
  private static final Pattern OUTSIDE = Pattern.compile("\\.\\./(shared|protocol)|\"\\.\\.\"\\s*,");

  @Test
  void noSourceScriptOrBuildFileReadsOutsideTheRepository() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path root : List.of(Path.of("src"), Path.of("bin"), Path.of(".ci"), Path.of("pom.xml"))) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          if (file.endsWith("SelfContainedTest.java")) {
            continue;
          }
          String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          if (OUTSIDE.matcher(text).find()) {
            offenders.add(file.toString());
          }
        }
      }
    }
    assertThat(offenders).as("files that read outside the repository").isEmpty();
  }

  @Test
  void theProtocolExamplesAreTestResourcesOfTheProject() {
    for (String endpoint : List.of("register", "push", "pull", "status", "diff")) {
      assertThat(SelfContainedTest.class.getResource("/protocol/examples/" + endpoint + ".request.json"))
          .as(endpoint).isNotNull();
    }
  }
}
