package io.gossipnet.libp2p.internal.yamux;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Yamux stream with blocking, flow-controlled reads and writes. The receive window is
 * replenished as the application reads (and grows for fast readers up to the configured maximum);
 * writes wait for the remote's window.
 *
 * <p>Unread data is counted against the connection's and the host's buffer budgets by the memory
 * it holds, not by its length: a data frame that fills (nearly) all of the buffer it arrived in
 * is kept as a slice of that buffer and costs the buffer's capacity; a smaller one (a Noise frame
 * carries several Yamux frames, or a frame spans two Noise frames) is copied into a buffer of its
 * own, so that it does not keep the rest of a 64 KiB buffer alive, and costs its length. Each
 * kept frame costs {@value #CHUNK_OVERHEAD} bytes more for its objects, so that a flood of
 * one-byte frames is bounded by the budget too.
 */
public final class YamuxStream implements Stream {
  private static final long GROW_IF_CONSUMED_WITHIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /**
   * What one kept data frame costs besides its bytes: the buffer and chunk objects and the queue
   * slot (about 100 bytes on a 64-bit JVM), rounded up.
   */
  static final int CHUNK_OVERHEAD = 128;

  private final YamuxSession session;
  private final int id;
  private final boolean inbound;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  /** Unread data bytes (what the receive window counts). */
  private long bufferedBytes;
  /** What the kept chunks cost against the budgets (their memory). */
  private long charged;
  private long receiveWindow = YamuxConfig.INITIAL_WINDOW;
  private long targetWindow = YamuxConfig.INITIAL_WINDOW;
  private long consumed;
  private long lastUpdateNanos = System.nanoTime();
  private long sendWindow = YamuxConfig.INITIAL_WINDOW;
  private boolean remoteFin;
  private boolean localFin;
  private boolean discardReads;
  private String resetReason;
  private Duration readTimeout;
  private volatile Connection connection;
  private volatile String protocol;
  private final InputStream in = new In();
  private final OutputStream out = new Out();

  YamuxStream(YamuxSession session, int id, boolean inbound) {
    this.session = session;
    this.id = id;
    this.inbound = inbound;
  }

  /** The Yamux stream ID. */
  public int id() {
    return id;
  }

  /** True when the remote opened this stream. */
  public boolean inbound() {
    return inbound;
  }

  /** Binds the stream to its connection (once, before use). */
  public void bind(Connection connection) {
    this.connection = connection;
  }

  /** Records the negotiated protocol. */
  public void protocol(String protocol) {
    this.protocol = protocol;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public InputStream in() {
    return in;
  }

  @Override
  public OutputStream out() {
    return out;
  }

  @Override
  public void setReadTimeout(Duration timeout) {
    lock.lock();
    try {
      readTimeout = timeout;
    } finally {
      lock.unlock();
    }
  }

  long receiveWindow() {
    lock.lock();
    try {
      return receiveWindow;
    } finally {
      lock.unlock();
    }
  }

  // ---- event-loop side ----

  boolean onData(ByteBuf data) {
    int len = data.readableBytes();
    boolean sendUpdate = false;
    long delta = 0;
    lock.lock();
    try {
      receiveWindow -= len;
      if (resetReason != null) {
        return true;
      }
      if (discardReads || remoteFin) {
        consumed += len;
        delta = takeWindowUpdate();
        sendUpdate = delta > 0;
      } else {
        int backing = backingCapacity(data);
        boolean slice = len >= backing - backing / 8;
        long charge = (slice ? backing : len) + CHUNK_OVERHEAD;
        if (!session.reserve(charge)) {
          return false;
        }
        // Most of its buffer: a retained slice (the decoder's cumulation is not reused while we
        // hold it). A small part: a copy, which frees the buffer for the allocator.
        chunks.add(new Chunk(slice ? data.retainedSlice() : Unpooled.copiedBuffer(data), charge));
        bufferedBytes += len;
        charged += charge;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (sendUpdate) {
      session.sendFrame(YamuxSession.WINDOW_UPDATE, 0, id, (int) delta, null);
    }
    return true;
  }

  /** The capacity of the buffer {@code data} is a slice of (its own if it is none). */
  private static int backingCapacity(ByteBuf data) {
    ByteBuf b = data;
    for (ByteBuf u = b.unwrap(); u != null; u = u.unwrap()) {
      b = u;
    }
    return b.capacity();
  }

  /** A kept data frame and what it costs against the budgets. */
  private record Chunk(ByteBuf data, long charge) {}

  void onWindowUpdate(long delta) {
    lock.lock();
    try {
      sendWindow = Math.min(sendWindow + delta, 0xFFFFFFFFL);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void onRemoteFin() {
    boolean done;
    lock.lock();
    try {
      remoteFin = true;
      done = localFin;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (done) {
      release(false);
    }
  }

  void onRemoteReset() {
    markReset("stream reset by remote");
    release(true);
  }

  void onConnectionClosed() {
    markReset("connection closed");
  }

  private void markReset(String reason) {
    lock.lock();
    try {
      if (resetReason == null) {
        resetReason = reason;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the stream in its session; unread data stays readable unless {@code discard}. */
  private void release(boolean discard) {
    long drop = 0;
    if (discard) {
      lock.lock();
      try {
        drop = charged;
        charged = 0;
        bufferedBytes = 0;
        releaseChunks();
      } finally {
        lock.unlock();
      }
    }
    session.unbuffer(drop);
    session.removed(this);
  }

  /** Drops unread data; call with the lock held. */
  private void releaseChunks() {
    Chunk c;
    while ((c = chunks.poll()) != null) {
      c.data().release();
    }
  }

  /** Window delta to send now, or 0; call with the lock held. */
  private long takeWindowUpdate() {
    if (consumed < targetWindow / 2) {
      return 0;
    }
    long now = System.nanoTime();
    long grow = 0;
    if (now - lastUpdateNanos < GROW_IF_CONSUMED_WITHIN_NANOS && targetWindow < session.config().maxWindow()) {
      long next = Math.min(targetWindow * 2, session.config().maxWindow());
      grow = next - targetWindow;
      targetWindow = next;
    }
    lastUpdateNanos = now;
    long delta = consumed + grow;
    consumed = 0;
    receiveWindow += delta;
    return delta;
  }

  // ---- application side ----

  private int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n;
    long delta;
    long freed = 0;
    lock.lock();
    try {
      long deadline = readTimeout == null ? 0 : System.nanoTime() + readTimeout.toNanos();
      while (chunks.isEmpty() && !remoteFin && resetReason == null) {
        if (readTimeout == null) {
          changed.await();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new SocketTimeoutException("stream " + id + " read timed out after " + readTimeout);
          }
          changed.awaitNanos(left);
        }
      }
      if (chunks.isEmpty()) {
        if (resetReason != null && !remoteFin) {
          throw new Libp2pException(resetReason);
        }
        return -1;
      }
      // Drain as many buffered chunks as fit: one lock and one wake-up per batch, not per frame.
      n = 0;
      Chunk head;
      while (n < len && (head = chunks.peek()) != null) {
        ByteBuf d = head.data();
        int k = Math.min(len - n, d.readableBytes());
        d.readBytes(b, off + n, k);
        n += k;
        if (!d.isReadable()) {
          chunks.poll();
          d.release();
          freed += head.charge();
        }
      }
      bufferedBytes -= n;
      charged -= freed;
      consumed += n;
      delta = resetReason == null ? takeWindowUpdate() : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading stream " + id);
    } finally {
      lock.unlock();
    }
    session.unbuffer(freed);
    if (delta > 0) {
      session.sendFrame(YamuxSession.WINDOW_UPDATE, 0, id, (int) delta, null);
    }
    return n;
  }

  private void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n;
      boolean more;
      lock.lock();
      try {
        while (sendWindow == 0 && resetReason == null && !localFin) {
          changed.await();
        }
        if (resetReason != null) {
          throw new Libp2pException(resetReason);
        }
        if (localFin) {
          throw new Libp2pException("stream " + id + " is closed for writing");
        }
        n = (int) Math.min(Math.min(len, sendWindow), YamuxSession.MAX_FRAME_DATA);
        sendWindow -= n;
        // flush at the end of this write, or when the window is used up and we will wait
        more = n < len && sendWindow > 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing stream " + id);
      } finally {
        lock.unlock();
      }
      try {
        session.awaitWritable();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing stream " + id);
      }
      if (!session.isOpen()) {
        throw new Libp2pException("connection closed");
      }
      session.sendData(id, b, off, n, !more);
      off += n;
      len -= n;
    }
  }

  @Override
  public void closeWrite() {
    boolean done;
    lock.lock();
    try {
      if (localFin || resetReason != null) {
        return;
      }
      localFin = true;
      done = remoteFin;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    session.sendFrame(YamuxSession.WINDOW_UPDATE, YamuxSession.FIN, id, 0, null);
    if (done) {
      release(false);
    }
  }

  @Override
  public void reset() {
    reset("stream reset locally");
  }

  /** Resets the stream; local reads and writes then fail with {@code reason}. */
  public void reset(String reason) {
    lock.lock();
    try {
      if (resetReason != null) {
        return;
      }
      resetReason = reason;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    session.sendFrame(YamuxSession.WINDOW_UPDATE, YamuxSession.RST, id, 0, null);
    release(true);
  }

  @Override
  public void close() {
    long drop;
    long delta;
    lock.lock();
    try {
      discardReads = true;
      drop = charged;
      consumed += bufferedBytes;
      bufferedBytes = 0;
      charged = 0;
      releaseChunks();
      delta = resetReason == null && !remoteFin ? takeWindowUpdate() : 0;
    } finally {
      lock.unlock();
    }
    session.unbuffer(drop);
    if (delta > 0) {
      session.sendFrame(YamuxSession.WINDOW_UPDATE, 0, id, (int) delta, null);
    }
    closeWrite();
  }

  @Override
  public String toString() {
    return "YamuxStream(" + id + (protocol == null ? "" : ", " + protocol) + ")";
  }

  private final class In extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = YamuxStream.this.read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      return YamuxStream.this.read(b, off, len);
    }

    @Override
    public void close() {
      YamuxStream.this.close();
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      YamuxStream.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      YamuxStream.this.write(b, off, len);
    }

    @Override
    public void close() {
      closeWrite();
    }
  }
}
