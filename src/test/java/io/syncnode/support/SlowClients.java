package io.syncnode.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many raw connections that send what they have one byte per tick, from one thread, and notice when
 * the server closes them (end of stream or reset). Whatever the server answers is kept per connection.
 */
public final class SlowClients implements AutoCloseable {
  private final List<Client> clients = new ArrayList<>();

  private static final class Client {
    final SocketChannel channel;
    final byte[] payload;
    final StringBuilder received = new StringBuilder();
    int sent;
    boolean closed;

    Client(SocketChannel channel, byte[] payload) {
      this.channel = channel;
      this.payload = payload;
    }
  }

  /**
   * Opens {@code count} connections from {@code localAddress} (a loopback address of the test's own,
   * e.g. 127.0.0.5), each first sending {@code head} at once (may be empty), then trickling {@code trickle}.
   */
  public static SlowClients open(int port, String localAddress, int count, String head, String trickle)
      throws IOException {
    SlowClients slow = new SlowClients();
    for (int i = 0; i < count; i++) {
      SocketChannel channel = SocketChannel.open();
      channel.bind(new InetSocketAddress(localAddress, 0));
      channel.connect(new InetSocketAddress("127.0.0.1", port));
      channel.configureBlocking(false);
      if (!head.isEmpty()) {
        channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      }
      slow.clients.add(new Client(channel, trickle.getBytes(StandardCharsets.US_ASCII)));
    }
    return slow;
  }

  /** One tick: each open connection sends its next byte, and reads what the server sent. */
  public void tick() {
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    for (Client client : clients) {
      if (client.closed) {
        continue;
      }
      try {
        in.clear();
        int n;
        while ((n = client.channel.read(in)) > 0) {
          client.received.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
          in.clear();
        }
        if (n < 0) {
          client.closed = true;
          continue;
        }
        if (client.sent < client.payload.length) {
          client.channel.write(ByteBuffer.wrap(client.payload, client.sent, 1));
          client.sent++;
        }
      } catch (IOException reset) {
        client.closed = true;
      }
    }
  }

  /** Ticks every {@code tickMs} until every connection is closed; false if some are still open after {@code seconds}. */
  public boolean awaitAllClosed(long tickMs, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      tick();
      if (closed() == clients.size()) {
        return true;
      }
      Thread.sleep(tickMs);
    }
    return false;
  }

  /** Connections the server has closed. */
  public long closed() {
    return clients.stream().filter(c -> c.closed).count();
  }

  /** What connection {@code i} received. */
  public String received(int i) {
    return clients.get(i).received.toString();
  }

  @Override
  public void close() {
    for (Client client : clients) {
      try {
        client.channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
