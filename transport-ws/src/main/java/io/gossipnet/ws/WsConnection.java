package io.gossipnet.ws;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageConnection;
import io.gossipnet.core.spi.MessageTooLargeException;
import io.gossipnet.core.spi.PayloadLimit;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One WebSocket connection as the engine sees it: a {@link MessageConnection} over a Jetty core
 * {@link CoreSession}, and the session's {@link FrameHandler}.
 *
 * <p><b>Reads are demand-based.</b> Jetty delivers a frame only after {@link CoreSession#demand()};
 * this class demands again at once while a message is being assembled or while fewer than {@value
 * #MAX_QUEUED} messages and {@value #MAX_QUEUED_BYTES} bytes wait for {@link #read}; past that it
 * stops demanding until the read loop catches up, so a peer that the engine does not read from is
 * held back by TCP. The small queue lets Jetty parse every frame of a network read in one go
 * instead of handing over one message at a time. The tag's size limit is checked when the
 * first two payload bytes arrive and before each fragment is copied, so nothing larger than the
 * tag allows is ever buffered here. Jetty runs without auto-fragmentation and with the frame
 * limit equal to {@link WsConfig#maxMessageSize()}: a frame whose header declares more is refused
 * (1009) before its payload is read, and a frame under it that one network read did not bring
 * whole is aggregated by Jetty in a buffer counted against {@link WsConfig#frameBufferBudget()}
 * (see {@code FrameBufferBudget}).
 *
 * <p><b>Sends are completion-based.</b> {@link #write} queues each message as one binary frame
 * with {@code batch = true} and then flushes once; a frame holds a permit until Jetty completes
 * it, and at most {@link WsConfig#maxOutstandingFrames()} are outstanding, after which {@code
 * write} waits (and the engine's slow-writer check sees a write in progress).
 */
final class WsConnection implements MessageConnection, FrameHandler {
  private static final Duration PERMIT_POLL = Duration.ofMillis(100);
  /** First allocation for a fragmented message; grows by doubling up to the tag's limit. */
  private static final int INITIAL_ASSEMBLY = 2048;
  /** Most complete messages waiting for the read loop before demand stops. */
  static final int MAX_QUEUED = 128;
  /** Most bytes of complete messages waiting for the read loop before demand stops. */
  static final int MAX_QUEUED_BYTES = 256 * 1024;

  private final boolean outgoing;
  private final int maxMessagePayload;
  private final String remoteHost;
  private volatile String remoteAddress;
  private final Semaphore permits;
  private final int maxOutstanding;
  private final CompletableFuture<CoreSession> opened = new CompletableFuture<>();
  private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
  private volatile CoreSession session;
  private volatile PayloadLimit limit = code -> Integer.MAX_VALUE;
  private volatile IOException writeFailure;
  private volatile boolean closing;
  /** The failure this side is closing with, published to readers once its close frame is queued. */
  private volatile IOException closingFailure;
  /** When the last frame of any kind arrived; for the transport's ping check. */
  private volatile long lastReceivedNanos = System.nanoTime();
  private volatile long lastPingNanos;

  // Inbound state: onFrame calls are serialised by demand.
  private boolean inMessage;
  private int tagBytes;
  private int tagCode;
  private int maxPayload;
  private byte[] assembly;
  private int assembled;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final java.util.ArrayDeque<InboundMessage> queue = new java.util.ArrayDeque<>();
  private long queuedBytes;
  /** Demand stopped because the queue is full; the next read that makes room demands again. */
  private boolean suspended;
  private IOException readFailure;
  private boolean eof;
  private boolean demandStarted;

  WsConnection(boolean outgoing, String remoteAddress, String remoteHost, int maxOutstandingFrames, int maxMessageSize) {
    this.maxMessagePayload = maxMessageSize - 2;
    this.outgoing = outgoing;
    this.remoteAddress = remoteAddress;
    this.remoteHost = remoteHost;
    this.maxOutstanding = maxOutstandingFrames;
    this.permits = new Semaphore(maxOutstandingFrames);
  }

  /** Completes when Jetty has opened the session. */
  CompletableFuture<CoreSession> opened() {
    return opened;
  }

  /** Completes with the close status once the session is closed. */
  CompletableFuture<CloseStatus> closedFuture() {
    return closed;
  }

  void setRemoteAddress(String address) {
    this.remoteAddress = address;
  }

  // ---------------------------------------------------------------- MessageConnection

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public String remoteHost() {
    return remoteHost;
  }

  @Override
  public boolean outgoing() {
    return outgoing;
  }

  @Override
  public InboundMessage read(PayloadLimit payloadLimit) throws IOException {
    this.limit = payloadLimit;
    boolean demand = false;
    InboundMessage m;
    lock.lock();
    try {
      if (!demandStarted) {
        demandStarted = true;
        demand = true;
      }
    } finally {
      lock.unlock();
    }
    if (demand) {
      demand();
    }
    lock.lock();
    try {
      while (queue.isEmpty() && readFailure == null && !eof) {
        changed.await();
      }
      m = queue.pollFirst();
      if (m == null) {
        if (readFailure != null) {
          throw readFailure;
        }
        return null;
      }
      queuedBytes -= m.payload().length;
      if (suspended && hasRoom()) {
        suspended = false;
        demand = true;
      } else {
        demand = false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("read interrupted");
    } finally {
      lock.unlock();
    }
    if (demand) {
      demand();
    }
    return m;
  }

  private boolean hasRoom() {
    return queue.size() < MAX_QUEUED && queuedBytes < MAX_QUEUED_BYTES;
  }

  private void demand() {
    CoreSession s = session;
    if (s != null && !closed.isDone()) {
      s.demand();
    }
  }

  @Override
  public void write(List<byte[]> messages) throws IOException {
    CoreSession s = session;
    if (s == null) {
      throw new IOException("connection not open");
    }
    for (byte[] m : messages) {
      acquirePermit(s);
      s.sendFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(m)), new FrameDone(), true);
    }
    s.flush(Callback.NOOP);
  }

  private void acquirePermit(CoreSession s) throws IOException {
    if (permits.tryAcquire()) {
      checkWritableOrRelease();
      return;
    }
    // Frames batched so far may be what holds the permits: flush them before waiting.
    s.flush(Callback.NOOP);
    try {
      while (!permits.tryAcquire(PERMIT_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        checkWritable();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("write interrupted");
    }
    checkWritableOrRelease();
  }

  private void checkWritableOrRelease() throws IOException {
    try {
      checkWritable();
    } catch (IOException e) {
      permits.release();
      throw e;
    }
  }

  private void checkWritable() throws IOException {
    IOException f = writeFailure;
    if (f != null) {
      throw f;
    }
    if (closing || closed.isDone()) {
      throw new IOException("connection closed");
    }
  }

  /** Frames handed to Jetty and not yet completed. */
  int outstandingFrames() {
    return maxOutstanding - permits.availablePermits();
  }

  /** Releases a frame's permit when Jetty has written or failed it. */
  private final class FrameDone implements Callback {
    @Override
    public void succeeded() {
      permits.release();
    }

    @Override
    public void failed(Throwable x) {
      if (writeFailure == null) {
        writeFailure = x instanceof IOException io ? io : new IOException(x.toString(), x);
      }
      permits.release();
    }
  }

  @Override
  public void close(DisconnectReason reason, Duration ackTimeout) {
    closing = true;
    CoreSession s = session;
    if (s == null) {
      opened.cancel(false);
      signalEof(null);
      return;
    }
    if (!closed.isDone()) {
      int code = reason == DisconnectReason.NODE_SHUTDOWN ? CloseStatus.SHUTDOWN : closeCodeFor(reason);
      s.close(code, reason.wireName(), Callback.NOOP);
      try {
        closed.get(Math.max(1, ackTimeout.toMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        s.abort();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.abort();
      } catch (Exception e) {
        s.abort();
      }
    }
    signalEof(null);
  }

  private static int closeCodeFor(DisconnectReason reason) {
    return switch (reason) {
      case READ_ERROR, BAD_DATA, BAD_IDENTITY_DATA -> CloseStatus.POLICY_VIOLATION;
      case INCOMING_LIMIT -> CloseStatus.TRY_AGAIN_LATER;
      default -> CloseStatus.NORMAL;
    };
  }

  // ---------------------------------------------------------------- FrameHandler

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    this.session = coreSession;
    callback.succeeded();
    opened.complete(coreSession);
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    lastReceivedNanos = System.nanoTime();
    try {
      switch (frame.getOpCode()) {
        case OpCode.BINARY -> {
          if (inMessage) {
            protocolError(callback, "a new binary message started inside a fragmented one");
            return;
          }
          startMessage();
          onPayload(frame, callback);
        }
        case OpCode.CONTINUATION -> {
          if (!inMessage) {
            protocolError(callback, "continuation frame outside a message");
            return;
          }
          onPayload(frame, callback);
        }
        case OpCode.TEXT -> {
          callback.succeeded();
          fail(new IOException("peer sent a text frame; only binary messages are accepted"), CloseStatus.BAD_DATA, "text frames are not accepted");
        }
        case OpCode.PING -> {
          ByteBuffer copy = ByteBuffer.allocate(frame.getPayloadLength());
          if (frame.hasPayload()) {
            copy.put(frame.getPayload().slice()).flip();
          }
          callback.succeeded();
          session.sendFrame(new Frame(OpCode.PONG, copy), Callback.NOOP, false);
          demand();
        }
        case OpCode.CLOSE -> callback.succeeded();
        default -> {
          callback.succeeded();
          demand();
        }
      }
    } catch (RuntimeException e) {
      callback.failed(e);
    }
  }

  private void startMessage() {
    inMessage = true;
    tagBytes = 0;
    tagCode = 0;
    maxPayload = 0;
    assembly = null;
    assembled = 0;
  }

  private void onPayload(Frame frame, Callback callback) {
    ByteBuffer p = frame.hasPayload() ? frame.getPayload() : ByteBuffer.allocate(0);
    while (tagBytes < 2 && p.hasRemaining()) {
      tagCode = (tagCode << 8) | (p.get() & 0xff);
      tagBytes++;
      if (tagBytes == 2) {
        maxPayload = Math.min(limit.maxPayload(tagCode), maxMessagePayload);
      }
    }
    int add = p.remaining();
    if (add > 0) {
      long total = (long) assembled + add;
      if (total > maxPayload) {
        callback.succeeded();
        fail(
            new MessageTooLargeException(
                "message with tag " + tagName(tagCode) + " has at least " + total + " payload bytes, more than its limit of " + maxPayload),
            CloseStatus.MESSAGE_TOO_LARGE,
            "message too large");
        return;
      }
      if (assembly == null) {
        assembly = new byte[frame.isFin() ? add : Math.min(maxPayload, Math.max(INITIAL_ASSEMBLY, add))];
      } else if (total > assembly.length) {
        assembly = Arrays.copyOf(assembly, (int) Math.min(maxPayload, Math.max(total, 2L * assembly.length)));
      }
      p.get(assembly, assembled, add);
      assembled = (int) total;
    }
    callback.succeeded();
    if (!frame.isFin()) {
      demand();
      return;
    }
    inMessage = false;
    if (tagBytes < 2) {
      fail(new IOException("message of " + tagBytes + " bytes is shorter than its 2-byte tag"), CloseStatus.BAD_PAYLOAD, "message shorter than a tag");
      return;
    }
    byte[] data = assembly == null ? new byte[0] : assembled == assembly.length ? assembly : Arrays.copyOf(assembly, assembled);
    assembly = null;
    boolean more;
    lock.lock();
    try {
      queue.addLast(new InboundMessage(tagCode, data));
      queuedBytes += data.length;
      more = hasRoom();
      suspended = !more;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (more) {
      demand();
    }
  }

  private static String tagName(int code) {
    char a = (char) ((code >> 8) & 0xff);
    char b = (char) (code & 0xff);
    return (a >= 0x20 && a < 0x7f && b >= 0x20 && b < 0x7f) ? "" + a + b : String.format("0x%04x", code);
  }

  private void protocolError(Callback callback, String message) {
    callback.succeeded();
    fail(new IOException(message), CloseStatus.PROTOCOL, "protocol error");
  }

  /**
   * Closes the session with {@code code} and fails pending and later reads. The close frame is
   * queued first, so it carries this reason rather than the engine's generic one.
   */
  private void fail(IOException e, int code, String closeReason) {
    // Recorded before the close frame is queued, so that an onClosed racing with us still reports it.
    closingFailure = e;
    CoreSession s = session;
    if (s != null) {
      s.close(code, closeReason, Callback.NOOP);
    }
    lock.lock();
    try {
      if (readFailure == null) {
        readFailure = e;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void signalEof(IOException failure) {
    if (failure == null) {
      failure = closingFailure;
    }
    lock.lock();
    try {
      if (failure != null && readFailure == null) {
        readFailure = failure;
      }
      eof = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    lock.lock();
    try {
      if (readFailure == null) {
        readFailure = cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (writeFailure == null) {
      writeFailure = new IOException("connection failed: " + cause);
    }
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    if (writeFailure == null) {
      writeFailure = new IOException("connection closed: " + closeStatus);
    }
    boolean orderly = closeStatus.isNormal() || closeStatus.getCode() == CloseStatus.SHUTDOWN || closeStatus.getCode() == CloseStatus.NO_CODE;
    signalEof(orderly ? null : new IOException("connection closed: " + closeStatus));
    opened.completeExceptionally(new IOException("closed before open: " + closeStatus));
    closed.complete(closeStatus);
    callback.succeeded();
  }

  /**
   * The transport's liveness check: pings a connection that has been silent for {@code
   * pingIntervalNanos} (once per interval) and fails it when it stayed silent for {@code
   * pingIntervalNanos + pongTimeoutNanos}.
   *
   * @return false if the connection is closed and can be forgotten
   */
  boolean checkAlive(long now, long pingIntervalNanos, long pongTimeoutNanos) {
    CoreSession s = session;
    if (closed.isDone()) {
      return false;
    }
    if (s == null || closing) {
      return true;
    }
    long silent = now - lastReceivedNanos;
    if (silent > pingIntervalNanos + pongTimeoutNanos) {
      // The failure is recorded before the session closes, so the read loop reports a read error.
      signalEof(new IOException("no frame, not even a pong, for " + silent / 1_000_000 + " ms"));
      s.close(CloseStatus.SHUTDOWN, "ping timeout", Callback.NOOP);
      s.abort();
      return true;
    }
    if (silent > pingIntervalNanos && now - lastPingNanos > pingIntervalNanos) {
      lastPingNanos = now;
      s.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }
    return true;
  }

  @Override
  public String toString() {
    return "WsConnection[" + (outgoing ? "out " : "in ") + remoteAddress + "]";
  }
}
