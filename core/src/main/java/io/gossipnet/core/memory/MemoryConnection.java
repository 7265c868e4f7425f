package io.gossipnet.core.memory;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageConnection;
import io.gossipnet.core.spi.MessageTooLargeException;
import io.gossipnet.core.spi.PayloadLimit;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One end of an in-memory link between two nodes of a {@link MemoryNetwork}. Frames written here
 * appear, after the link's latency, at the other end; closing either end closes both.
 */
public final class MemoryConnection implements MessageConnection {
  private final String remoteAddress;
  private final String remoteHost;
  private final boolean outgoing;
  private final MemoryPipe in;
  private final MemoryPipe out;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<DisconnectReason> closeReason = new AtomicReference<>();
  private volatile MemoryConnection other;

  MemoryConnection(String remoteAddress, String remoteHost, boolean outgoing, MemoryPipe in, MemoryPipe out) {
    this.remoteAddress = remoteAddress;
    this.remoteHost = remoteHost;
    this.outgoing = outgoing;
    this.in = in;
    this.out = out;
  }

  /** Creates both ends of a link. */
  static MemoryConnection[] pair(
      String dialerAddress, String acceptorAddress, LinkConditions toAcceptor, LinkConditions toDialer) {
    MemoryPipe forward = new MemoryPipe(toAcceptor);
    MemoryPipe backward = new MemoryPipe(toDialer);
    MemoryConnection dialerEnd = new MemoryConnection(acceptorAddress, hostOf(acceptorAddress), true, backward, forward);
    MemoryConnection acceptorEnd = new MemoryConnection(dialerAddress, hostOf(dialerAddress), false, forward, backward);
    dialerEnd.other = acceptorEnd;
    acceptorEnd.other = dialerEnd;
    return new MemoryConnection[] {dialerEnd, acceptorEnd};
  }

  private static String hostOf(String address) {
    return address.startsWith("mem://") ? address.substring("mem://".length()) : address;
  }

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
  public InboundMessage read(PayloadLimit limit) throws IOException {
    byte[] f;
    try {
      f = in.read();
    } catch (InterruptedException e) {
      throw new InterruptedIOException("read interrupted");
    }
    if (f == null) {
      if (closeReason.get() != null && closed.get()) {
        throw new IOException("connection closed locally");
      }
      return null;
    }
    if (f.length < 2) {
      throw new IOException("frame shorter than a tag: " + f.length + " bytes");
    }
    int code = ((f[0] & 0xff) << 8) | (f[1] & 0xff);
    int max = limit.maxPayload(code);
    if (f.length - 2 > max) {
      throw new MessageTooLargeException(
          "message of " + (f.length - 2) + " bytes exceeds the limit of " + max + " for its tag");
    }
    return new InboundMessage(code, Arrays.copyOfRange(f, 2, f.length));
  }

  @Override
  public void write(List<byte[]> messages) throws IOException {
    if (closed.get()) {
      throw new IOException("connection closed");
    }
    try {
      out.write(messages);
    } catch (InterruptedException e) {
      throw new InterruptedIOException("write interrupted");
    } catch (MemoryPipe.PipeClosedException e) {
      throw new IOException(e.getMessage());
    }
  }

  @Override
  public void close(DisconnectReason reason, Duration ackTimeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeReason.set(reason);
    in.close();
    out.close();
    MemoryConnection o = other;
    if (o != null) {
      o.closed.compareAndSet(false, true);
    }
  }

  /**
   * Takes every frame that has arrived (tag + payload, not copied), waiting for the first; returns
   * the number taken, 0 once closed. For benchmarks that count deliveries.
   */
  public int drainFrames(List<byte[]> out) throws InterruptedException {
    return in.drain(out);
  }

  /** Whether either end closed the link. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Fault: stop (or resume) delivering frames to this end; the other end's writes then block. */
  public void stallIncoming(boolean stall) {
    in.stall(stall);
  }

  /** Changes the conditions of frames written from this end. */
  public void outgoingConditions(LinkConditions c) {
    out.conditions(c);
  }

  /** Fault: frames sent into this end by the other side (raw, bypassing the peer engine). */
  public void injectRaw(byte[] frame) throws IOException {
    if (other == null) {
      throw new IOException("no other end");
    }
    other.write(List.of(frame));
  }

  /** The other end of the link. */
  public MemoryConnection otherEnd() {
    return other;
  }

  @Override
  public String toString() {
    return "MemoryConnection[" + (outgoing ? "to " : "from ") + remoteAddress + "]";
  }
}
