package io.gossipnet.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules of the node module (docs/ARCHITECTURE.md, "Architecture rules"), checked
 * on its compiled main classes.
 */
@AnalyzeClasses(packages = "io.gossipnet.node", importOptions = ImportOption.DoNotIncludeTests.class)
class NodeArchitectureTest {

  /**
   * The node reaches the libp2p host only from its raw {@code p2p} tools (the {@code gossipnet
   * p2p} commands). Gossip over libp2p goes through a transport module ({@code transport-p2p},
   * once it exists), never straight from the node to the host.
   */
  @ArchTest
  static final ArchRule onlyTheRawP2pToolsUseLibp2p =
      noClasses()
          .that().resideInAPackage("io.gossipnet.node..")
          .and().resideOutsideOfPackage("io.gossipnet.node.p2p")
          .should().dependOnClassesThat().resideInAPackage("io.gossipnet.libp2p..")
          .because("node goes through a transport module for libp2p (DESIGN.md, Modules)");

  /** Other modules' {@code internal} packages are theirs alone. */
  @ArchTest
  static final ArchRule nodeUsesNoInternalPackage =
      noClasses()
          .that().resideInAPackage("io.gossipnet.node..")
          .should().dependOnClassesThat().resideInAPackage("io.gossipnet..internal..");
}
