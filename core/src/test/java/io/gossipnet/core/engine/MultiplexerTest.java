package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.TaggedValidator;
import io.gossipnet.core.Tags;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultiplexerTest {
  private static IncomingMessage msg(io.gossipnet.core.Tag tag) {
    return new IncomingMessage(null, tag, new byte[0], null, 0, false);
  }

  @Test
  void aMessageGoesToTheHandlerOfItsTag() {
    Multiplexer m = new Multiplexer();
    m.registerHandlers(List.of(
        new TaggedHandler(Tags.TX, x -> OutgoingMessage.broadcast()),
        new TaggedHandler(Tags.AV, x -> OutgoingMessage.disconnect())));
    assertThat(m.handle(msg(Tags.TX)).action()).isEqualTo(OutgoingMessage.Action.BROADCAST);
    assertThat(m.handle(msg(Tags.AV)).action()).isEqualTo(OutgoingMessage.Action.DISCONNECT);
  }

  @Test
  void aTagWithoutHandlerIsIgnored() {
    assertThat(new Multiplexer().handle(msg(Tags.TX)).action()).isEqualTo(OutgoingMessage.Action.IGNORE);
  }

  @Test
  void registeringATagTwiceFailsAndLeavesTheTableUnchanged() {
    Multiplexer m = new Multiplexer();
    m.registerHandlers(List.of(new TaggedHandler(Tags.TX, x -> OutgoingMessage.broadcast())));
    assertThatThrownBy(() -> m.registerHandlers(List.of(
            new TaggedHandler(Tags.AV, x -> OutgoingMessage.ignore()),
            new TaggedHandler(Tags.TX, x -> OutgoingMessage.ignore()))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(m.hasHandler(Tags.AV.code())).as("all or nothing").isFalse();
  }

  @Test
  void clearKeepsOnlyTheExcludedTags() {
    Multiplexer m = new Multiplexer();
    m.registerHandlers(List.of(
        new TaggedHandler(Tags.TX, x -> OutgoingMessage.broadcast()),
        new TaggedHandler(Tags.NP, x -> OutgoingMessage.ignore())));
    m.clearHandlers(Set.of(Tags.NP.code()));
    assertThat(m.hasHandler(Tags.TX.code())).isFalse();
    assertThat(m.hasHandler(Tags.NP.code())).isTrue();
  }

  @Test
  void validatorsAreSeparateFromHandlers() {
    Multiplexer m = new Multiplexer();
    m.registerValidators(List.of(new TaggedValidator(Tags.TX, x -> OutgoingMessage.accept())));
    assertThat(m.validate(msg(Tags.TX)).action()).isEqualTo(OutgoingMessage.Action.ACCEPT);
    assertThat(m.handle(msg(Tags.TX)).action()).isEqualTo(OutgoingMessage.Action.IGNORE);
    m.clearValidators();
    assertThat(m.hasValidator(Tags.TX.code())).isFalse();
  }
}
