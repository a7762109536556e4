package dev.ephemera.internal.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cryptographically strong random longs for ids and tokens, fast enough for the open path.
 *
 * <p>Drawing 32 bytes at a time from a {@link SecureRandom} costs about 300 ns on Linux (the
 * default NativePRNG reads {@code /dev/urandom} in 32-byte pieces and mixes in SHA1PRNG under a
 * global lock). Instead each thread keeps an AES-256-CTR keystream (the construction of NIST's
 * CTR_DRBG), keyed and initialised from the engine's {@code SecureRandom}, hands it out from a
 * 4 KiB buffer and re-keys every 1 MiB. AES runs on the CPU's AES instructions, so a long costs a
 * few nanoseconds.
 */
public final class RandomBytes {
  private static final int BUFFER = 4096;
  private static final int REKEY_AFTER = 1 << 20;
  private static final byte[] ZEROS = new byte[BUFFER];
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final SecureRandom seed;
  private final ThreadLocal<Stream> streams;

  public RandomBytes(SecureRandom seed) {
    this.seed = seed;
    // the stream must not reach this object (and so the ThreadLocal): a thread's map keeps a value
    // that reaches its own key forever, one stream leaked per closed engine and thread
    this.streams = ThreadLocal.withInitial(() -> new Stream(seed));
  }

  /** A stream of random longs for the calling thread; use it on that thread only. */
  public Stream stream() {
    return streams.get();
  }

  /** One thread's keystream; static, so that a closed engine's streams can be collected. */
  public static final class Stream {
    private final SecureRandom seed;
    private final byte[] buffer = new byte[BUFFER];
    private int position = BUFFER;
    private int sinceKey = REKEY_AFTER;
    private Cipher cipher;

    Stream(SecureRandom seed) {
      this.seed = seed;
    }

    public long nextLong() {
      if (position == BUFFER) {
        refill();
      }
      long v = (long) LONGS.get(buffer, position);
      position += Long.BYTES;
      return v;
    }

    private void refill() {
      try {
        if (sinceKey >= REKEY_AFTER) {
          rekey();
        }
        cipher.update(ZEROS, 0, BUFFER, buffer, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR is not available in this JVM", e);
      }
      sinceKey += BUFFER;
      position = 0;
    }

    private void rekey() throws GeneralSecurityException {
      byte[] key = new byte[32];
      byte[] iv = new byte[16];
      seed.nextBytes(key);
      seed.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      Arrays.fill(key, (byte) 0);
      cipher = c;
      sinceKey = 0;
    }
  }
}
