package io.gossipnet.libp2p.internal.mss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MultistreamHandlerTest {

  private static byte[] drain(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      out.writeBytes(a);
      b.release();
    }
    return out.toByteArray();
  }

  @Test
  void listenerHandlesPipelinedHeaderAndProposalInOneReadAndPassesLeftoverBytesOn() {
    AtomicReference<String> selected = new AtomicReference<>();
    List<String> after = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast("mss", MultistreamHandler.listener(Set.of("/noise"), (ctx, p) -> {
      selected.set(p);
      ctx.pipeline().addAfter(ctx.name(), "next", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext c, Object msg) {
          after.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
          ((ByteBuf) msg).release();
        }
      });
    }));
    byte[] in = Multistream.encode(Multistream.HEADER, "/noise");
    ByteBuf buf = Unpooled.buffer().writeBytes(in).writeBytes("early".getBytes(StandardCharsets.US_ASCII));
    ch.writeInbound(buf);
    assertThat(selected.get()).isEqualTo("/noise");
    assertThat(drain(ch)).isEqualTo(Multistream.encode(Multistream.HEADER, "/noise"));
    assertThat(after).containsExactly("early");
    assertThat(ch.pipeline().get("mss")).isNull();
  }

  @Test
  void listenerAnswersNaAndLsThenAcceptsASupportedProtocol() throws Exception {
    AtomicReference<String> selected = new AtomicReference<>();
    EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.listener(Set.of("/noise"), (ctx, p) -> selected.set(p)));
    ch.writeInbound(Unpooled.wrappedBuffer(Multistream.encode(Multistream.HEADER, "/tls/1.0.0", "ls")));
    ByteArrayInputStream answers = new ByteArrayInputStream(drain(ch));
    assertThat(Multistream.read(answers)).isEqualTo(Multistream.HEADER);
    assertThat(Multistream.read(answers)).isEqualTo("na");
    String list = Multistream.read(answers);
    assertThat(list).contains("/noise");
    assertThat(selected.get()).isNull();
    ch.writeInbound(Unpooled.wrappedBuffer(Multistream.encode("/noise")));
    assertThat(selected.get()).isEqualTo("/noise");
  }

  @Test
  void messagesSplitAcrossReadsAreReassembled() {
    AtomicReference<String> selected = new AtomicReference<>();
    EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.listener(Set.of("/yamux/1.0.0"), (ctx, p) -> selected.set(p)));
    byte[] all = Multistream.encode(Multistream.HEADER, "/yamux/1.0.0");
    for (byte b : all) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(selected.get()).isEqualTo("/yamux/1.0.0");
  }

  @Test
  void linesOverTheLimitOrWithoutNewlineAreRefused() {
    EmbeddedChannel big = new EmbeddedChannel(MultistreamHandler.listener(Set.of("/noise"), (ctx, p) -> { }));
    ByteBuf over = Unpooled.buffer().writeBytes(new byte[] {(byte) 0x81, 0x08}).writeBytes(new byte[1025]);
    assertThatThrownBy(() -> big.writeInbound(over)).isInstanceOf(DecoderException.class)
        .hasMessageContaining("exceeds 1024");
    EmbeddedChannel unterminated = new EmbeddedChannel(MultistreamHandler.listener(Set.of("/noise"), (ctx, p) -> { }));
    assertThatThrownBy(() -> unterminated.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 'a', 'b', 'c'})))
        .hasMessageContaining("not terminated");
  }

  @Test
  void dialerFailsWhenTheRemoteAnswersNa() {
    EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.dialer("/noise", (ctx, p) -> { }));
    assertThat(drain(ch)).isEqualTo(Multistream.encode(Multistream.HEADER, "/noise"));
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(Multistream.encode(Multistream.HEADER, "na"))))
        .hasMessageContaining("answered 'na'");
  }
}
