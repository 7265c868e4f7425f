package io.gossipnet.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rule of http-services (docs/ARCHITECTURE.md, "Architecture rules"), checked on
 * its compiled main classes.
 */
@AnalyzeClasses(packages = "io.gossipnet.http", importOptions = ImportOption.DoNotIncludeTests.class)
class HttpServicesArchitectureTest {

  /** The services reach every transport through core's router and peer clients only. */
  @ArchTest
  static final ArchRule servicesUseNoTransport =
      noClasses()
          .that().resideInAPackage("io.gossipnet.http..")
          .should().dependOnClassesThat().resideInAnyPackage(
              "io.gossipnet.ws..", "io.gossipnet.p2p..", "io.gossipnet.libp2p..", "org.eclipse.jetty..", "io.netty..")
          .because("a service registered once is served over every transport, the hybrid's included (DESIGN.md, http-services)");
}
