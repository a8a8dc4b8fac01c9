package io.syncnode.http;

import io.syncnode.protocol.InvalidInputException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The decoding of a request body as it is read: gzip inflated (when the body is encoded), every
 * decoded byte counted against http.maxBodyBytes the moment it is inflated, the node's body
 * budget taken for the bytes the reader will hold, and UTF-8 checked. The failures are the
 * client's answers: 413 past the limit, 503 past the budget, 400 for corrupt gzip or bad UTF-8.
 */
final class DecodedBody extends FilterInputStream {
  /** Bytes inflated per read at most, so that a compressed body never expands in one step. */
  private static final int INFLATE_STEP = 64 * 1024;

  private final long maxBytes;
  private final BodyBudget.Reservation reservation;
  private final long reserveUpTo;
  private final Utf8Check utf8 = new Utf8Check();
  private long decoded;

  private DecodedBody(InputStream decoding, long maxBytes, BodyBudget.Reservation reservation, long reserveUpTo) {
    super(decoding);
    this.maxBytes = maxBytes;
    this.reservation = reservation;
    this.reserveUpTo = reserveUpTo;
  }

  /**
   * {@code wire} decoded: at most {@code maxBytes} after decoding, of which the first {@code
   * reserveUpTo} are taken from {@code reservation} as they are read.
   */
  static InputStream of(InputStream wire, boolean gzip, long maxBytes, BodyBudget.Reservation reservation,
      long reserveUpTo) {
    InputStream decoding = wire;
    if (gzip) {
      try {
        decoding = new CorruptionAnswered(new GZIPInputStream(wire, INFLATE_STEP));
      } catch (IOException e) {
        throw corrupt(e);
      }
    }
    return new DecodedBody(decoding, maxBytes, reservation, reserveUpTo);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, (int) Math.min(len, INFLATE_STEP));
    if (n < 0) {
      if (!utf8.complete()) {
        throw notUtf8();
      }
      return n;
    }
    decoded += n;
    if (decoded > maxBytes) {
      throw ApiErrors.tooLarge(maxBytes);
    }
    if (!reservation.ensure(Math.min(decoded, reserveUpTo))) {
      throw ApiErrors.busy();
    }
    if (!utf8.update(b, off, n)) {
      throw notUtf8();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] skipped = new byte[(int) Math.min(n, 8192)];
    int read = read(skipped, 0, skipped.length);
    return Math.max(read, 0);
  }

  private static InvalidInputException notUtf8() {
    return new InvalidInputException(null, "the request body is not valid UTF-8");
  }

  static InvalidInputException corrupt(IOException e) {
    return new InvalidInputException(null, "the gzip-encoded body is corrupt: " + e.getMessage());
  }

  /** Inflation failures are the client's: a body that is not what its Content-Encoding says. */
  private static final class CorruptionAnswered extends FilterInputStream {
    CorruptionAnswered(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw corrupt(e);
      }
    }
  }

  /** Strict UTF-8 (as {@link io.syncnode.protocol.json.Utf8}), checked across reads. */
  static final class Utf8Check {
    private int needed;
    private int code;
    private int min;

    boolean update(byte[] bytes, int off, int len) {
      for (int i = off; i < off + len; i++) {
        int b = bytes[i] & 0xff;
        if (needed == 0) {
          if (b < 0x80) {
            continue;
          }
          if (b >= 0xc2 && b <= 0xdf) {
            needed = 1;
            min = 0x80;
            code = b & 0x1f;
          } else if (b >= 0xe0 && b <= 0xef) {
            needed = 2;
            min = 0x800;
            code = b & 0x0f;
          } else if (b >= 0xf0 && b <= 0xf4) {
            needed = 3;
            min = 0x10000;
            code = b & 0x07;
          } else {
            return false;
          }
        } else {
          if ((b & 0xc0) != 0x80) {
            return false;
          }
          code = (code << 6) | (b & 0x3f);
          if (--needed == 0 && (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) {
            return false;
          }
        }
      }
      return true;
    }

    boolean complete() {
      return needed == 0;
    }
  }
}
