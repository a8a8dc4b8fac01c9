package io.syncnode.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks a node's /health every 50 ms on a thread of its own while a test attacks the node, and
 * counts the answers: 200 within two seconds, or not.
 */
public final class HealthWatch implements AutoCloseable {
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger missed = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopped;

  public HealthWatch(int port) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    thread = new Thread(() -> {
      while (!stopped) {
        try {
          if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            answered.incrementAndGet();
          } else {
            missed.incrementAndGet();
          }
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          missed.incrementAndGet();
        }
      }
    }, "health-watch");
    thread.setDaemon(true);
    thread.start();
  }

  public int answered() {
    return answered.get();
  }

  public int missed() {
    return missed.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
  }
}
