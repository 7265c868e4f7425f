package io.gossipnet.libp2p.internal.yamux;

import io.gossipnet.libp2p.Libp2pException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux session ({@code /yamux/1.0.0}) on a secured channel: frame decoding with validation
 * (version, type, flags, stream-ID parity, receive windows), stream bookkeeping with limits,
 * ping replies and go-away. Protocol errors send go-away and close the connection.
 */
public final class YamuxSession extends ByteToMessageDecoder {
  /** The muxer's protocol ID. */
  public static final String PROTOCOL = "/yamux/1.0.0";
  static final int HEADER = 12;
  static final int DATA = 0;
  static final int WINDOW_UPDATE = 1;
  static final int PING = 2;
  static final int GO_AWAY = 3;
  static final int SYN = 1;
  static final int ACK = 2;
  static final int FIN = 4;
  static final int RST = 8;
  /** Largest data payload we put in one frame (fits one Noise frame with the header). */
  static final int MAX_FRAME_DATA = 65535 - 16 - HEADER;
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

  private final boolean client;
  private final YamuxConfig config;
  private final Consumer<YamuxStream> onInbound;
  private final Map<Integer, YamuxStream> streams = new ConcurrentHashMap<>();
  private final AtomicInteger nextId;
  private final AtomicInteger inbound = new AtomicInteger();
  private final AtomicInteger outbound = new AtomicInteger();
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicLong hostBuffered;
  private final long hostBudget;
  private final Consumer<String> events;
  private final ReentrantLock writable = new ReentrantLock();
  private final Condition writableChanged = writable.newCondition();
  private volatile Channel channel;
  private volatile boolean remoteGoAway;
  private volatile boolean closed;
  private io.netty.util.concurrent.ScheduledFuture<?> keepAliveTask;
  private boolean pingOutstanding;
  private int pingOpaque;

  /**
   * A session.
   *
   * @param client true on the dialing side (odd stream IDs)
   * @param onInbound called on the event loop for each accepted inbound stream
   */
  public YamuxSession(boolean client, YamuxConfig config, Consumer<YamuxStream> onInbound) {
    this(client, config, onInbound, null, Long.MAX_VALUE, e -> { });
  }

  /**
   * A session that also counts the memory of its unread data in {@code hostBuffered}, shared by
   * all sessions of a host, limited to {@code hostBudget}, and reports each limit it enforces to
   * {@code events} by name: {@code stream.refused.limit} (a SYN past the inbound stream limit),
   * {@code stream.reset.connectionBudget}, {@code stream.reset.hostBudget} (data past a buffer
   * budget), {@code stream.windowExceeded} (data past a receive window: the connection is closed)
   * and {@code connection.keepAliveTimeout}.
   */
  public YamuxSession(boolean client, YamuxConfig config, Consumer<YamuxStream> onInbound, AtomicLong hostBuffered,
      long hostBudget, Consumer<String> events) {
    this.hostBuffered = hostBuffered;
    this.hostBudget = hostBudget;
    this.events = events;
    this.client = client;
    this.config = config;
    this.onInbound = onInbound;
    this.nextId = new AtomicInteger(client ? 1 : 2);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    channel = ctx.channel();
    long every = config.keepAlive().toMillis();
    if (every > 0) {
      keepAliveTask = ctx.executor().scheduleAtFixedRate(() -> keepAlive(ctx), every, every,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (keepAliveTask != null) {
      keepAliveTask.cancel(false);
    }
  }

  /** Event loop: sends a keep-alive ping, or closes when the previous one was never answered. */
  private void keepAlive(ChannelHandlerContext ctx) {
    if (closed) {
      return;
    }
    if (pingOutstanding) {
      events.accept("connection.keepAliveTimeout");
      protocolError(ctx, "keep-alive ping " + pingOpaque + " not answered within " + config.keepAlive());
      return;
    }
    pingOutstanding = true;
    sendFrame(PING, SYN, 0, ++pingOpaque, null);
  }

  /** Number of open streams. */
  public int streamCount() {
    return streams.size();
  }

  /** Memory held for unread data in this session's streams (see {@link YamuxStream}), in bytes. */
  long bufferedBytes() {
    return buffered.get();
  }

  /**
   * Reserves {@code n} bytes of memory for unread data against this connection's and the host's
   * budgets; false (nothing reserved, the event counted) when either would be exceeded.
   */
  boolean reserve(long n) {
    if (buffered.addAndGet(n) > config.maxBufferedBytes()) {
      buffered.addAndGet(-n);
      events.accept("stream.reset.connectionBudget");
      return false;
    }
    if (hostBuffered != null && hostBuffered.addAndGet(n) > hostBudget) {
      hostBuffered.addAndGet(-n);
      buffered.addAndGet(-n);
      events.accept("stream.reset.hostBudget");
      return false;
    }
    return true;
  }

  /** Returns {@code n} reserved bytes (read or dropped). */
  void unbuffer(long n) {
    if (n == 0) {
      return;
    }
    buffered.addAndGet(-n);
    if (hostBuffered != null) {
      hostBuffered.addAndGet(-n);
    }
  }

  YamuxConfig config() {
    return config;
  }

  /** Opens an outbound stream (sends SYN). */
  public YamuxStream openStream() throws Libp2pException {
    if (closed || remoteGoAway) {
      throw new Libp2pException("connection is closing; no new streams");
    }
    if (outbound.incrementAndGet() > config.maxOutboundStreams()) {
      outbound.decrementAndGet();
      throw new Libp2pException("outbound stream limit " + config.maxOutboundStreams() + " reached");
    }
    int id = nextId.getAndAdd(2);
    YamuxStream s = new YamuxStream(this, id, false);
    streams.put(id, s);
    sendFrame(WINDOW_UPDATE, SYN, id, 0, null);
    return s;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    while (!closed && in.readableBytes() >= HEADER) {
      int base = in.readerIndex();
      int version = in.getUnsignedByte(base);
      int type = in.getUnsignedByte(base + 1);
      int flags = in.getUnsignedShort(base + 2);
      int id = in.getInt(base + 4);
      long length = in.getUnsignedInt(base + 8);
      if (version != 0) {
        protocolError(ctx, "yamux frame with version " + version);
        return;
      }
      if (type > GO_AWAY) {
        protocolError(ctx, "yamux frame with unknown type " + type);
        return;
      }
      if ((flags & ~(SYN | ACK | FIN | RST)) != 0) {
        protocolError(ctx, "yamux frame with unknown flags 0x" + Integer.toHexString(flags));
        return;
      }
      if (type == DATA) {
        YamuxStream s = streams.get(id);
        long window = s != null ? s.receiveWindow() : YamuxConfig.INITIAL_WINDOW;
        if (length > window) {
          events.accept("stream.windowExceeded");
          protocolError(ctx, "yamux data of " + length + " bytes beyond the receive window " + window
              + " of stream " + id);
          return;
        }
        if (in.readableBytes() < HEADER + length) {
          return;
        }
      }
      in.skipBytes(HEADER);
      if (LOG.isTraceEnabled()) {
        LOG.trace("yamux in: type {} flags {} stream {} length {}", type, flags, id, length);
      }
      switch (type) {
        case DATA, WINDOW_UPDATE -> {
          ByteBuf data = type == DATA ? in.readSlice((int) length) : null;
          if (!streamFrame(ctx, type, flags, id, length, data)) {
            return;
          }
        }
        case PING -> {
          if ((flags & SYN) != 0) {
            sendFrame(PING, ACK, 0, (int) length, null);
          } else if ((flags & ACK) != 0 && length == (pingOpaque & 0xFFFFFFFFL)) {
            pingOutstanding = false;
          }
        }
        default -> {
          remoteGoAway = true;
          if (length != 0) {
            LOG.info("yamux: remote {} went away with code {}", ctx.channel().remoteAddress(), length);
          }
        }
      }
    }
  }

  private boolean streamFrame(ChannelHandlerContext ctx, int type, int flags, int id, long length, ByteBuf data) {
    if (id == 0) {
      protocolError(ctx, "yamux stream frame on stream 0");
      return false;
    }
    YamuxStream s = streams.get(id);
    if ((flags & SYN) != 0) {
      boolean remoteParity = (id % 2 == 0) == client;
      if (!remoteParity) {
        protocolError(ctx, "yamux SYN for stream " + id + " with our parity");
        return false;
      }
      if (s != null) {
        protocolError(ctx, "yamux SYN for open stream " + id);
        return false;
      }
      if (remoteGoAway) {
        sendFrame(WINDOW_UPDATE, RST, id, 0, null);
        return true;
      }
      if (inbound.incrementAndGet() > config.maxInboundStreams()) {
        inbound.decrementAndGet();
        events.accept("stream.refused.limit");
        LOG.info("yamux: resetting stream {} from {}: inbound stream limit {} reached", id,
            ctx.channel().remoteAddress(), config.maxInboundStreams());
        sendFrame(WINDOW_UPDATE, RST, id, 0, null);
        return true;
      }
      s = new YamuxStream(this, id, true);
      streams.put(id, s);
      sendFrame(WINDOW_UPDATE, ACK, id, 0, null);
      onInbound.accept(s);
    }
    if (s == null) {
      return true; // a frame for a stream we already forgot: ignore it
    }
    if (type == WINDOW_UPDATE) {
      s.onWindowUpdate(length);
    } else if (length > 0 && !s.onData(data)) {
      LOG.info("yamux: resetting stream {} from {}: buffer budget exceeded ({} per connection, {} per host)", id,
          ctx.channel().remoteAddress(), config.maxBufferedBytes(), hostBudget);
      s.reset();
      return true;
    }
    if ((flags & RST) != 0) {
      s.onRemoteReset();
    } else if ((flags & FIN) != 0) {
      s.onRemoteFin();
    }
    return true;
  }

  private void protocolError(ChannelHandlerContext ctx, String reason) {
    LOG.warn("yamux: closing connection to {}: {}", ctx.channel().remoteAddress(), reason);
    sendFrame(GO_AWAY, 0, 0, 1, null);
    ctx.channel().attr(ChannelReason.KEY).setIfAbsent(reason);
    closed = true;
    ctx.channel().close();
  }

  /** Sends go-away (normal termination); the caller closes the channel. */
  public void goAway() {
    sendFrame(GO_AWAY, 0, 0, 0, null);
  }

  void sendFrame(int type, int flags, int id, int length, ByteBuf data) {
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      if (data != null) {
        data.release();
      }
      return;
    }
    if (LOG.isTraceEnabled()) {
      LOG.trace("yamux out: type {} flags {} stream {} length {}", type, flags, id, length);
    }
    ByteBuf header = Unpooled.buffer(HEADER);
    header.writeByte(0).writeByte(type).writeShort(flags).writeInt(id).writeInt(length);
    ch.writeAndFlush(data == null ? header : Unpooled.wrappedBuffer(header, data));
  }

  /**
   * Sends one data frame, header and payload in one pooled buffer (one copy of the caller's
   * bytes); flushes only when {@code flush}, so a large write wakes the event loop once.
   */
  void sendData(int id, byte[] b, int off, int n, boolean flush) {
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      return;
    }
    ByteBuf frame = ch.alloc().heapBuffer(HEADER + n);
    frame.writeByte(0).writeByte(DATA).writeShort(0).writeInt(id).writeInt(n).writeBytes(b, off, n);
    if (flush) {
      ch.writeAndFlush(frame);
    } else {
      ch.write(frame);
    }
  }

  /** Blocks (not on the event loop) until the channel accepts more writes or closes. */
  void awaitWritable() throws InterruptedException {
    Channel ch = channel;
    if (ch == null || ch.eventLoop().inEventLoop()) {
      return;
    }
    if (ch.isWritable()) {
      return;
    }
    ch.flush(); // unflushed frames count towards the watermark: send them before waiting
    writable.lock();
    try {
      while (ch.isActive() && !ch.isWritable()) {
        writableChanged.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    } finally {
      writable.unlock();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    writable.lock();
    try {
      writableChanged.signalAll();
    } finally {
      writable.unlock();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    if (keepAliveTask != null) {
      keepAliveTask.cancel(false);
    }
    for (YamuxStream s : streams.values()) {
      s.onConnectionClosed();
    }
    streams.clear();
    channelWritabilityChanged(ctx);
    super.channelInactive(ctx);
  }

  void removed(YamuxStream s) {
    if (streams.remove(s.id(), s)) {
      (s.inbound() ? inbound : outbound).decrementAndGet();
    }
  }

  boolean isOpen() {
    return !closed && channel != null && channel.isActive();
  }
}
