package io.gossipnet.libp2p.multiformats;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.encoding.Varint;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr in its binary and text forms. Supported protocols: ip4, ip6, tcp, udp, dns, dns4,
 * dns6, p2p, http, https, tls, http-path and quic-v1 (udp and quic-v1 are parsed, not dialed).
 */
public final class Multiaddr {
  /** Longest binary or text multiaddr accepted. */
  public static final int MAX_LENGTH = 1024;

  /** The protocols this implementation understands. */
  public enum Protocol {
    /** IPv4 address. */
    IP4(4, "ip4", 4),
    /** TCP port. */
    TCP(6, "tcp", 2),
    /** UDP port. */
    UDP(273, "udp", 2),
    /** DNS name resolved to any address family. */
    DNS(53, "dns", -1),
    /** DNS name resolved to IPv4. */
    DNS4(54, "dns4", -1),
    /** DNS name resolved to IPv6. */
    DNS6(55, "dns6", -1),
    /** IPv6 address. */
    IP6(41, "ip6", 16),
    /** Peer ID (multihash). */
    P2P(421, "p2p", -1),
    /** TLS. */
    TLS(448, "tls", 0),
    /** HTTPS. */
    HTTPS(443, "https", 0),
    /** HTTP. */
    HTTP(480, "http", 0),
    /** URL-encoded HTTP path. */
    HTTP_PATH(481, "http-path", -1),
    /** QUIC v1. */
    QUIC_V1(461, "quic-v1", 0);

    private final int code;
    private final String text;
    private final int size;

    Protocol(int code, String text, int size) {
      this.code = code;
      this.text = text;
      this.size = size;
    }

    /** The multicodec code. */
    public int code() {
      return code;
    }

    /** The text name. */
    public String text() {
      return text;
    }

    static Protocol byCode(long code) {
      for (Protocol p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      throw new IllegalArgumentException("unsupported multiaddr protocol code " + code);
    }

    static Protocol byName(String name) {
      for (Protocol p : values()) {
        if (p.text.equals(name)) {
          return p;
        }
      }
      if (name.equals("ipfs")) {
        return P2P;
      }
      throw new IllegalArgumentException("unsupported multiaddr protocol '" + name + "'");
    }
  }

  /** One protocol and its value bytes. */
  public record Component(Protocol protocol, byte[] value) {
    /** The value as text. */
    public String valueText() {
      return switch (protocol) {
        case IP4 -> (value[0] & 0xFF) + "." + (value[1] & 0xFF) + "." + (value[2] & 0xFF) + "." + (value[3] & 0xFF);
        case IP6 -> ip6Text(value);
        case TCP, UDP -> Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
        case DNS, DNS4, DNS6 -> new String(value, StandardCharsets.UTF_8);
        case HTTP_PATH -> URLEncoder.encode(new String(value, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        case P2P -> PeerId.fromBytes(value).toBase58();
        default -> "";
      };
    }

    /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as {@code ::}. */
    private static String ip6Text(byte[] a) {
      int[] g = new int[8];
      for (int i = 0; i < 8; i++) {
        g[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
      }
      int bestStart = -1;
      int bestLen = 1;
      for (int i = 0; i < 8; ) {
        if (g[i] != 0) {
          i++;
          continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        if (i == bestStart) {
          sb.append("::");
          i += bestLen - 1;
          continue;
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
          sb.append(':');
        }
        sb.append(Integer.toHexString(g[i]));
      }
      return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return protocol.hashCode() * 31 + Arrays.hashCode(value);
    }
  }

  private final List<Component> components;

  private Multiaddr(List<Component> components) {
    this.components = List.copyOf(components);
  }

  /** Builds a multiaddr from components. */
  public static Multiaddr of(List<Component> components) {
    return new Multiaddr(components);
  }

  /** Parses the text form, e.g. {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3...}. */
  public static Multiaddr fromString(String text) {
    if (text.length() > MAX_LENGTH || !text.startsWith("/")) {
      throw new IllegalArgumentException("invalid multiaddr '" + text + "'");
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Component> out = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty() && i == parts.length - 1) {
        break;
      }
      Protocol p = Protocol.byName(parts[i]);
      if (p.size == 0) {
        out.add(new Component(p, new byte[0]));
        continue;
      }
      if (++i >= parts.length) {
        throw new IllegalArgumentException("multiaddr '" + text + "' lacks a value for " + p.text);
      }
      out.add(new Component(p, valueFromText(p, parts[i])));
    }
    return new Multiaddr(out);
  }

  private static byte[] valueFromText(Protocol p, String v) {
    return switch (p) {
      case IP4 -> {
        if (!v.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
          throw new IllegalArgumentException("invalid ip4 '" + v + "'");
        }
        yield parseIp(v, 4);
      }
      case IP6 -> {
        if (!v.contains(":") || !v.matches("[0-9a-fA-F:.]+")) {
          throw new IllegalArgumentException("invalid ip6 '" + v + "'");
        }
        yield parseIp(v, 16);
      }
      case TCP, UDP -> {
        int port;
        try {
          port = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid port '" + v + "'");
        }
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port out of range: " + port);
        }
        yield new byte[] {(byte) (port >> 8), (byte) port};
      }
      case DNS, DNS4, DNS6 -> v.getBytes(StandardCharsets.UTF_8);
      case HTTP_PATH -> URLDecoder.decode(v, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      case P2P -> PeerId.fromString(v).toBytes();
      default -> throw new IllegalArgumentException("protocol " + p.text + " takes no value");
    };
  }

  private static byte[] parseIp(String v, int len) {
    try {
      byte[] a = InetAddress.getByName(v).getAddress();
      if (a.length != len) {
        throw new IllegalArgumentException("address '" + v + "' has the wrong family");
      }
      return a;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid address '" + v + "'", e);
    }
  }

  /** Decodes the binary form. */
  public static Multiaddr fromBytes(byte[] bytes) {
    if (bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("multiaddr of " + bytes.length + " bytes exceeds " + MAX_LENGTH);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    List<Component> out = new ArrayList<>();
    while (b.hasRemaining()) {
      Protocol p = Protocol.byCode(Varint.read(b));
      long size = p.size >= 0 ? p.size : Varint.read(b);
      if (size > b.remaining()) {
        throw new IllegalArgumentException("multiaddr component " + p.text + " is truncated");
      }
      byte[] v = new byte[(int) size];
      b.get(v);
      if (p == Protocol.P2P) {
        PeerId.fromBytes(v);
      }
      out.add(new Component(p, v));
    }
    return new Multiaddr(out);
  }

  /** The multiaddr for a socket address: {@code /ip4|ip6/.../tcp/port}. */
  public static Multiaddr fromSocketAddress(InetSocketAddress address) {
    InetAddress a = address.getAddress();
    Protocol ip = a instanceof Inet4Address ? Protocol.IP4 : Protocol.IP6;
    int port = address.getPort();
    return new Multiaddr(List.of(new Component(ip, a.getAddress()),
        new Component(Protocol.TCP, new byte[] {(byte) (port >> 8), (byte) port})));
  }

  /** The binary form. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      Varint.write(out, c.protocol.code);
      if (c.protocol.size < 0) {
        Varint.write(out, c.value.length);
      }
      out.writeBytes(c.value);
    }
    return out.toByteArray();
  }

  /** The components in order. */
  public List<Component> components() {
    return components;
  }

  /** The first value of {@code protocol}, if present. */
  public Optional<Component> first(Protocol protocol) {
    return components.stream().filter(c -> c.protocol == protocol).findFirst();
  }

  /** The peer ID of the last {@code /p2p/} component, if any. */
  public Optional<PeerId> peerId() {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol == Protocol.P2P) {
        return Optional.of(PeerId.fromBytes(components.get(i).value));
      }
    }
    return Optional.empty();
  }

  /** This address with {@code /p2p/<peerId>} appended. */
  public Multiaddr withPeerId(PeerId peerId) {
    List<Component> c = new ArrayList<>(components);
    c.add(new Component(Protocol.P2P, peerId.toBytes()));
    return new Multiaddr(c);
  }

  /** This address without {@code /p2p/} components and anything after the first one. */
  public Multiaddr withoutPeerId() {
    List<Component> c = new ArrayList<>();
    for (Component x : components) {
      if (x.protocol == Protocol.P2P) {
        break;
      }
      c.add(x);
    }
    return new Multiaddr(c);
  }

  /**
   * The host and port to dial over TCP, for {@code /ip4|ip6|dns|dns4|dns6/.../tcp/port}. DNS names
   * are left unresolved.
   *
   * @throws IllegalArgumentException if this is not a TCP address
   */
  public InetSocketAddress toTcpSocketAddress() {
    if (components.size() < 2 || components.get(1).protocol != Protocol.TCP) {
      throw new IllegalArgumentException("not a TCP multiaddr: " + this);
    }
    Component host = components.get(0);
    int port = Integer.parseInt(components.get(1).valueText());
    return switch (host.protocol) {
      case IP4, IP6 -> {
        try {
          InetAddress a = host.protocol == Protocol.IP4
              ? InetAddress.getByAddress(host.value) : Inet6Address.getByAddress(host.value);
          yield new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException(e);
        }
      }
      case DNS, DNS4, DNS6 -> InetSocketAddress.createUnresolved(host.valueText(), port);
      default -> throw new IllegalArgumentException("not a TCP multiaddr: " + this);
    };
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Component c : components) {
      sb.append('/').append(c.protocol.text);
      if (c.protocol.size != 0) {
        sb.append('/').append(c.valueText());
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr m && m.components.equals(components);
  }

  @Override
  public int hashCode() {
    return components.hashCode();
  }
}
