package io.gossipnet.libp2p.internal.mss;

import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.encoding.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * multistream-select 1.0 messages: a uvarint length, UTF-8 text and {@code \n}, the length counting
 * the newline, at most {@value #MAX_MESSAGE} bytes. Blocking negotiation over streams is here too.
 */
public final class Multistream {
  /** The protocol ID of multistream-select itself. */
  public static final String HEADER = "/multistream/1.0.0";
  /** The answer for an unsupported protocol. */
  public static final String NA = "na";
  /** Largest message, newline included. */
  public static final int MAX_MESSAGE = 1024;

  private Multistream() {}

  /** Encodes one message. */
  public static byte[] encode(String text) {
    byte[] t = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(t.length + 2);
    Varint.write(out, t.length);
    out.writeBytes(t);
    return out.toByteArray();
  }

  /** Encodes several messages back to back. */
  public static byte[] encode(String... texts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String t : texts) {
      out.writeBytes(encode(t));
    }
    return out.toByteArray();
  }

  /** The answer to {@code ls}: one message whose body lists the protocols as messages. */
  public static byte[] encodeList(Collection<String> protocols) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String p : protocols) {
      body.writeBytes(encode(p));
    }
    body.write('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /**
   * Reads one message from {@code in} if complete; returns null (reader index unchanged) if more
   * bytes are needed.
   *
   * @throws Libp2pException if the message is oversized, empty or lacks its newline
   */
  public static String read(ByteBuf in) throws Libp2pException {
    int start = in.readerIndex();
    long len = 0;
    int i = 0;
    while (true) {
      if (!in.isReadable()) {
        in.readerIndex(start);
        return null;
      }
      int b = in.readUnsignedByte();
      len |= (long) (b & 0x7F) << (7 * i++);
      if ((b & 0x80) == 0) {
        break;
      }
      if (i >= 3) {
        throw new Libp2pException("multistream length prefix too long");
      }
    }
    checkLength(len);
    if (in.readableBytes() < len) {
      in.readerIndex(start);
      return null;
    }
    byte[] body = new byte[(int) len];
    in.readBytes(body);
    return text(body);
  }

  /** Reads one message from a blocking stream; fails at end of stream. */
  public static String read(InputStream in) throws IOException {
    long len = Varint.read(in);
    if (len < 0) {
      throw new Libp2pException("stream ended during multistream-select");
    }
    checkLength(len);
    byte[] body = in.readNBytes((int) len);
    if (body.length != len) {
      throw new Libp2pException("stream ended inside a multistream message");
    }
    return text(body);
  }

  private static void checkLength(long len) throws Libp2pException {
    if (len > MAX_MESSAGE) {
      throw new Libp2pException("multistream message of " + len + " bytes exceeds " + MAX_MESSAGE);
    }
    if (len == 0) {
      throw new Libp2pException("empty multistream message");
    }
  }

  private static String text(byte[] body) throws Libp2pException {
    if (body[body.length - 1] != '\n') {
      throw new Libp2pException("multistream message not terminated by a newline");
    }
    return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
  }

  /** A Netty buffer with the given bytes. */
  public static ByteBuf buffer(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  /**
   * Dialer side over a blocking stream: sends the header and each proposal until the remote
   * accepts one. The header and the first proposal go out in one write.
   *
   * @return the accepted protocol
   */
  public static String select(InputStream in, OutputStream out, List<String> protocols) throws IOException {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocols to propose");
    }
    out.write(encode(HEADER, protocols.get(0)));
    out.flush();
    String header = read(in);
    if (!HEADER.equals(header)) {
      throw new Libp2pException("remote speaks '" + header + "', not " + HEADER);
    }
    for (int i = 0; i < protocols.size(); i++) {
      if (i > 0) {
        out.write(encode(protocols.get(i)));
        out.flush();
      }
      String answer = read(in);
      if (answer.equals(protocols.get(i))) {
        return answer;
      }
      if (!NA.equals(answer)) {
        throw new Libp2pException("unexpected multistream answer '" + answer + "' to " + protocols.get(i));
      }
    }
    throw new Libp2pException("remote supports none of " + protocols);
  }

  /**
   * Listener side over a blocking stream: answers the header, {@code ls} and unsupported
   * proposals, up to {@code maxAttempts} proposals.
   *
   * @return the accepted protocol
   */
  public static String handle(InputStream in, OutputStream out, Collection<String> supported, int maxAttempts)
      throws IOException {
    String header = read(in);
    if (!HEADER.equals(header)) {
      throw new Libp2pException("remote speaks '" + header + "', not " + HEADER);
    }
    out.write(encode(HEADER));
    out.flush();
    for (int i = 0; i < maxAttempts; i++) {
      String proposal = read(in);
      if (supported.contains(proposal)) {
        out.write(encode(proposal));
        out.flush();
        return proposal;
      }
      out.write("ls".equals(proposal) ? encodeList(supported) : encode(NA));
      out.flush();
    }
    throw new Libp2pException("remote made more than " + maxAttempts + " multistream proposals");
  }
}
