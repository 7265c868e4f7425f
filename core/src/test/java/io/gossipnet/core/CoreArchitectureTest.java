package io.gossipnet.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The architecture rules of core (docs/ARCHITECTURE.md, "Architecture rules"), checked on its
 * compiled main classes.
 */
@AnalyzeClasses(packages = "io.gossipnet.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  /** The core is transport-neutral: no Jetty, no Netty, no libp2p, no WebSocket transport. */
  @ArchTest
  static final ArchRule coreImportsNoTransportLibrary =
      noClasses()
          .that().resideInAPackage("io.gossipnet.core..")
          .should().dependOnClassesThat()
          .resideInAnyPackage(
              "org.eclipse.jetty..", "io.netty..", "io.gossipnet.libp2p..", "io.gossipnet.ws..")
          .because("core must stay transport-neutral (DESIGN.md, Modules)");

  /** Each package of core can be read from the bottom up. */
  @ArchTest
  static final ArchRule corePackagesAreFreeOfCycles =
      slices().assignedFrom(eachPackageUnder("io.gossipnet.core")).should().beFreeOfCycles();

  /**
   * API packages do not reach into {@code internal} packages (STYLE.md: an API package and a
   * hidden internal one, as Jetty does). Core has no {@code internal} package yet, so today the
   * rule holds trivially; it is written for any {@code ..internal..} package added later, and
   * needs no {@code allowEmptyShould}: the classes it checks (all of core) are never empty.
   */
  @ArchTest
  static final ArchRule apiPackagesDoNotUseInternalPackages =
      noClasses()
          .that().resideInAPackage("io.gossipnet.core..")
          .and().resideOutsideOfPackage("..internal..")
          .should().dependOnClassesThat().resideInAPackage("..internal..");

  /**
   * One slice per package under {@code root}, the root package included (the plain
   * {@code matching("root.(**)")} leaves the root package out).
   */
  private static SliceAssignment eachPackageUnder(String root) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String p = javaClass.getPackageName();
        return p.equals(root) || p.startsWith(root + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "each package under " + root;
      }
    };
  }
}
