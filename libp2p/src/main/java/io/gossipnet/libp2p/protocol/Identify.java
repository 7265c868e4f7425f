package io.gossipnet.libp2p.protocol;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.PeerRecord;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.crypto.PublicKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}): the message
 * codec, the responder (writes one message, then half-closes) and the requester (reads up to
 * {@value #MAX_MESSAGES} length-prefixed messages of at most {@value #MAX_MESSAGE_SIZE} bytes
 * until end of stream and merges them).
 */
public final class Identify {
  /** The identify protocol ID. */
  public static final String PROTOCOL = "/ipfs/id/1.0.0";
  /** The identify push protocol ID. */
  public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
  /** The protocol version we announce. */
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  /** Largest identify message accepted. */
  public static final int MAX_MESSAGE_SIZE = 8192;
  /** Most messages read from one identify stream. */
  public static final int MAX_MESSAGES = 10;
  private static final int MAX_LIST = 128;
  /** How long the remote may take to send its identify messages and half-close. */
  public static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(Identify.class);

  private Identify() {}

  /**
   * What we announce about ourselves.
   *
   * @param key our identity key
   * @param agentVersion our agent version
   * @param listenAddresses our listen addresses
   * @param protocols the protocols we serve
   * @param signedPeerRecord our signed peer record envelope ({@link PeerRecord#sign}), made once
   *     per address change because signing is slow
   */
  public record Local(PrivateKey key, String agentVersion, List<Multiaddr> listenAddresses, List<String> protocols,
      byte[] signedPeerRecord) {}

  /** Encodes our identify message for one connection. */
  public static byte[] encode(Local local, Multiaddr observed) {
    ProtoWriter w = new ProtoWriter()
        .string(5, PROTOCOL_VERSION)
        .string(6, local.agentVersion())
        .bytes(1, local.key().publicKey().toProtobuf());
    local.listenAddresses().forEach(a -> w.bytes(2, a.toBytes()));
    if (observed != null) {
      w.bytes(4, observed.toBytes());
    }
    local.protocols().forEach(p -> w.string(3, p));
    w.bytes(8, local.signedPeerRecord());
    return w.toByteArray();
  }

  /** Responds on an inbound identify stream: one message, then half-close. */
  public static void respond(Stream stream, Local local) throws IOException {
    writeDelimited(stream.out(), encode(local, stream.connection().remoteAddress()));
    stream.closeWrite();
  }

  /** Requests the remote's identify record over a new stream and validates it. */
  public static IdentifyInfo request(Connection connection) throws IOException {
    Stream s = connection.newStream(PROTOCOL).join();
    try {
      IdentifyInfo info = readAll(s, null);
      s.close();
      return info;
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
  }

  /**
   * Reads messages until end of stream, merging them over {@code previous} (may be null), and
   * validates the result against the connection's peer.
   */
  public static IdentifyInfo readAll(Stream s, IdentifyInfo previous) throws IOException {
    s.setReadTimeout(TIMEOUT);
    Builder b = new Builder(previous);
    InputStream in = s.in();
    int count = 0;
    while (true) {
      long len = Varint.read(in);
      if (len < 0) {
        break;
      }
      if (len > MAX_MESSAGE_SIZE) {
        throw new Libp2pException("identify message of " + len + " bytes exceeds " + MAX_MESSAGE_SIZE);
      }
      if (++count > MAX_MESSAGES) {
        throw new Libp2pException("more than " + MAX_MESSAGES + " identify messages on one stream");
      }
      byte[] msg = in.readNBytes((int) len);
      if (msg.length != len) {
        throw new Libp2pException("identify stream ended inside a message");
      }
      b.merge(msg);
    }
    if (count == 0 && previous == null) {
      throw new Libp2pException("identify stream ended without a message");
    }
    return b.build(s.connection());
  }

  private static void writeDelimited(OutputStream out, byte[] msg) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(msg.length + 3);
    Varint.write(buf, msg.length);
    buf.writeBytes(msg);
    out.write(buf.toByteArray());
    out.flush();
  }

  private static final class Builder {
    String protocolVersion;
    String agentVersion;
    byte[] publicKey;
    List<Multiaddr> listen;
    Multiaddr observed;
    List<String> protocols;
    byte[] signedRecord;

    Builder(IdentifyInfo prev) {
      if (prev != null) {
        protocolVersion = prev.protocolVersion();
        agentVersion = prev.agentVersion();
        publicKey = prev.publicKey().toProtobuf();
        listen = prev.listenAddresses();
        observed = prev.observedAddress();
        protocols = prev.protocols();
        signedRecord = prev.signedPeerRecordEnvelope(); // a push without a record keeps the one we have
      }
    }

    void merge(byte[] msg) throws Libp2pException {
      List<Multiaddr> newListen = new ArrayList<>();
      List<String> newProtocols = new ArrayList<>();
      try {
        ProtoReader r = new ProtoReader(msg, MAX_MESSAGE_SIZE);
        while (r.next()) {
          switch (r.field()) {
            case 1 -> publicKey = r.bytes();
            case 2 -> {
              byte[] a = r.bytes();
              if (newListen.size() < MAX_LIST) {
                parse(a, newListen);
              }
            }
            case 3 -> {
              String p = r.string();
              if (newProtocols.size() < MAX_LIST) {
                newProtocols.add(p);
              }
            }
            case 4 -> {
              List<Multiaddr> one = new ArrayList<>();
              parse(r.bytes(), one);
              observed = one.isEmpty() ? observed : one.get(0);
            }
            case 5 -> protocolVersion = r.string();
            case 6 -> agentVersion = r.string();
            case 8 -> signedRecord = r.bytes();
            default -> r.skip();
          }
        }
      } catch (IllegalArgumentException e) {
        throw new Libp2pException("malformed identify message: " + e.getMessage(), e);
      }
      if (!newListen.isEmpty()) {
        listen = newListen;
      }
      if (!newProtocols.isEmpty()) {
        protocols = newProtocols;
      }
    }

    private static void parse(byte[] bytes, List<Multiaddr> out) {
      try {
        out.add(Multiaddr.fromBytes(bytes));
      } catch (IllegalArgumentException e) {
        LOG.debug("identify: skipping an address we cannot parse: {}", e.getMessage());
      }
    }

    IdentifyInfo build(Connection c) throws Libp2pException {
      if (publicKey == null) {
        throw new Libp2pException("identify message lacks the public key");
      }
      PublicKey key;
      try {
        key = PublicKey.fromProtobuf(publicKey);
      } catch (IllegalArgumentException e) {
        throw new Libp2pException("identify public key invalid: " + e.getMessage(), e);
      }
      if (!c.remotePeerId().matches(key)) {
        throw new Libp2pException("identify public key does not match peer " + c.remotePeerId());
      }
      PeerRecord record = signedRecord == null ? null : PeerRecord.verify(signedRecord, c.remotePeerId());
      return new IdentifyInfo(protocolVersion == null ? "" : protocolVersion,
          agentVersion == null ? "" : agentVersion, key, listen == null ? List.of() : listen, observed,
          protocols == null ? List.of() : protocols, record, record == null ? null : signedRecord);
    }
  }
}
