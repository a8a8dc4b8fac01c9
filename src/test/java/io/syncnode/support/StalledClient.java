package io.syncnode.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A slow consumer: a client on a plain socket with a small receive buffer that sends a request,
 * reads the response head, and then reads nothing more until the test tells it to.
 */
public final class StalledClient implements AutoCloseable {
  private static final int RECEIVE_BUFFER = 4096;

  private final Socket socket;
  private final DataInputStream in;
  private final String head;

  private StalledClient(Socket socket, DataInputStream in, String head) {
    this.socket = socket;
    this.in = in;
    this.head = head;
  }

  /** Sends {@code request} (a whole HTTP/1.1 request) and reads the response head. */
  public static StalledClient open(int port, String request) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(RECEIVE_BUFFER);
    socket.setSoTimeout(60_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    DataInputStream in = new DataInputStream(socket.getInputStream());
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed the connection in the response head: " + head);
      }
      head.write(b);
    }
    return new StalledClient(socket, in, head.toString(StandardCharsets.US_ASCII));
  }

  public String head() {
    return head;
  }

  /** Reads a chunked body to its end (or until the server closes the connection), and returns it as text. */
  public String readChunkedToEnd() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      while (true) {
        int size = Integer.parseInt(line(in).trim(), 16);
        if (size == 0) {
          break;
        }
        byte[] chunk = new byte[size];
        in.readFully(chunk);
        body.write(chunk);
        line(in);
      }
    } catch (IOException e) {
      // the server cut the connection: what arrived before is the answer
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("end of stream");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** A WebSocket frame from the server (servers do not mask). */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  public Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** Reads WebSocket frames until the close frame, and returns it. */
  public Frame readUntilClose() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() == 8) {
        return frame;
      }
    }
  }

  /**
   * Reads and discards everything until the server closes the connection, and returns how many
   * bytes that was; fails if the server keeps it open without sending for the socket's timeout.
   */
  public long drain() throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
      }
    } catch (java.net.SocketTimeoutException e) {
      throw e;
    } catch (java.net.SocketException e) {
      // reset by the server: closed as well
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
