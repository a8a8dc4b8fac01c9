package io.syncnode.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An API key: {@code snk_<key id>_<secret>}, the id 8 random bytes in hex (it names the key in
 * listings and revocation), the secret 32 random bytes (256 bits) in base64url. Only the SHA-256
 * of the secret is stored.
 */
public record ApiKey(String keyId, String secret) {
  public static final String PREFIX = "snk_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new end-to-end encryption salt: 256 random bits, URL-safe base64 without padding. */
  public static String newSalt() {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(salt);
  }

  public static ApiKey generate() {
    byte[] id = new byte[8];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    return new ApiKey(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** The key as a client sends it. */
  public String text() {
    return PREFIX + keyId + "_" + secret;
  }

  /** Reads a key a client sent; null if it is not of the key's form. */
  public static ApiKey parse(String text) {
    if (text == null || !text.startsWith(PREFIX) || text.length() > 100) {
      return null;
    }
    String rest = text.substring(PREFIX.length());
    int separator = rest.indexOf('_');
    if (separator != 16 || rest.length() - separator - 1 < 32) {
      return null;
    }
    String id = rest.substring(0, separator);
    for (int i = 0; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0) {
        return null;
      }
    }
    return new ApiKey(id, rest.substring(separator + 1));
  }

  public byte[] secretHash() {
    return hash(secret);
  }

  /** Compares the secret with a stored hash in constant time. */
  public boolean matches(byte[] storedHash) {
    return MessageDigest.isEqual(secretHash(), storedHash);
  }

  private static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ApiKey[" + keyId + "]";
  }
}
