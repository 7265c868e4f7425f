package io.gossipnet.p2p;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules of transport-p2p (docs/ARCHITECTURE.md, "Architecture rules"), checked on
 * its compiled main classes.
 */
@AnalyzeClasses(packages = "io.gossipnet.p2p", importOptions = ImportOption.DoNotIncludeTests.class)
class P2PArchitectureTest {

  /** The P2P transport stands beside the WebSocket one, never on it. */
  @ArchTest
  static final ArchRule p2pDoesNotUseTheWebSocketTransport =
      noClasses()
          .that().resideInAPackage("io.gossipnet.p2p..")
          .should().dependOnClassesThat().resideInAnyPackage("io.gossipnet.ws..", "org.eclipse.jetty..")
          .because("transport-p2p and transport-ws are siblings over core (DESIGN.md, Modules)");

  /** The libp2p module's internals (Noise, Yamux, the protobuf codec) stay behind its public API. */
  @ArchTest
  static final ArchRule p2pUsesOnlyTheLibp2pPublicApi =
      noClasses()
          .that().resideInAPackage("io.gossipnet.p2p..")
          .should().dependOnClassesThat().resideInAPackage("io.gossipnet.libp2p..internal..")
          .because("a later switch of libp2p library should stay local to transport-p2p (DESIGN.md)");
}
