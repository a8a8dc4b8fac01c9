package io.syncnode.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A node started as its own JVM (java io.syncnode.Main, or bin/syncnode), as an operator would run it. */
public final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> listening = new CompletableFuture<>();
  private final Thread reader;
  private final Thread errorReader;

  private NodeProcess(Process process, boolean separateErrors) {
    this.process = process;
    errorReader = separateErrors ? new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          errors.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "node-errors") : null;
    if (errorReader != null) {
      errorReader.setDaemon(true);
      errorReader.start();
    }
    reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
          if (line.contains("syncnode listening on")) {
            listening.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      listening.completeExceptionally(new IllegalStateException("node exited before listening: " + output));
    }, "node-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -cp <test classpath> io.syncnode.Main args} with {@code env} added to the environment. */
  public static NodeProcess start(Map<String, String> env, String... args) throws IOException {
    return startWithHeap("256m", env, args);
  }

  /** As {@link #start}, with {@code -Xmx<heap>}. */
  public static NodeProcess startWithHeap(String heap, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Djava.net.preferIPv4Stack=true", "-Xmx" + heap,
        "-cp", System.getProperty("java.class.path"), "io.syncnode.Main"));
    command.addAll(List.of(args));
    return run(command, env);
  }

  /**
   * Starts {@code command} (a node, or a script that becomes one) with {@code env} added to this
   * environment less its SYNCNODE_ variables; stderr is read with stdout.
   */
  public static NodeProcess run(List<String> command, Map<String, String> env) throws IOException {
    return run(command, env, false);
  }

  /**
   * As {@link #run(List, Map)}, with stderr kept apart from stdout when {@code separateErrors}:
   * {@link #output()} is then stdout alone and {@link #errors()} stderr.
   */
  public static NodeProcess run(List<String> command, Map<String, String> env, boolean separateErrors)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(!separateErrors);
    builder.environment().keySet().removeIf(name -> name.startsWith("SYNCNODE_"));
    builder.environment().putAll(env);
    return new NodeProcess(builder.start(), separateErrors);
  }

  /** {@code java -cp <test classpath> io.syncnode.Main args}, stdout and stderr kept apart. */
  public static NodeProcess command(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Djava.net.preferIPv4Stack=true", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.syncnode.Main"));
    command.addAll(List.of(args));
    return run(command, env, true);
  }

  public void awaitListening(long seconds) throws Exception {
    listening.get(seconds, TimeUnit.SECONDS);
  }

  /** Waits until a line of the node's output contains {@code text}. */
  public void awaitOutput(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (output.stream().anyMatch(line -> line.contains(text))) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited while waiting for '" + text + "': " + output());
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no '" + text + "' within " + seconds + " s: " + output());
  }

  /** Kills the node at once (SIGKILL), as a crash would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Sends the process a signal by name: STOP pauses it, CONT resumes it. */
  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends SIGTERM with kill(1): Process.destroy() would also close our end of the node's output,
   * and what the node logs while stopping would be lost.
   */
  public void terminate() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** Sends SIGHUP with kill(1): the node reads its configuration again. */
  public void hangUp() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** The lines the node has written so far. */
  public List<String> lines() {
    return List.copyOf(output);
  }

  public int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("node did not exit within " + seconds + " s: " + output);
    }
    reader.join(TimeUnit.SECONDS.toMillis(seconds));
    if (errorReader != null) {
      errorReader.join(TimeUnit.SECONDS.toMillis(seconds));
    }
    return process.exitValue();
  }

  public String output() {
    return String.join("\n", output);
  }

  /** What the process wrote on stderr, when started with stderr kept apart; else empty. */
  public String errors() {
    return String.join("\n", errors);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
