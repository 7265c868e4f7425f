package io.gossipnet.libp2p;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The architecture rules of the libp2p module (docs/ARCHITECTURE.md, "Architecture rules"),
 * checked on its compiled main classes.
 */
@AnalyzeClasses(packages = "io.gossipnet.libp2p", importOptions = ImportOption.DoNotIncludeTests.class)
class Libp2pArchitectureTest {

  /** The libp2p module is a libp2p host of its own: it knows nothing of gossipnet's core. */
  @ArchTest
  static final ArchRule libp2pDependsOnNoCoreClass =
      noClasses()
          .that().resideInAPackage("io.gossipnet.libp2p..")
          .should().dependOnClassesThat().resideInAnyPackage("io.gossipnet.core..", "io.gossipnet.ws..")
          .because("libp2p must stay usable without the gossip engine (DESIGN.md, Modules)");

  /**
   * The packages form layers, each using only those below it: {@code encoding}; the protobuf codec
   * ({@code internal.wire}); keys and peer IDs ({@code crypto}); multiaddrs ({@code multiformats});
   * the contracts (the root package); Noise, Yamux and multistream-select ({@code internal.*}),
   * the protocols ({@code protocol}, {@code http}); the host ({@code host}); GossipSub and the DHT
   * ({@code pubsub}, {@code kad}).
   */
  @ArchTest
  static final ArchRule libp2pPackagesAreFreeOfCycles =
      slices().assignedFrom(eachPackageUnder("io.gossipnet.libp2p")).should().beFreeOfCycles();

  /**
   * {@code internal} packages are the module's implementation: the host wires them and the
   * protocols use the protobuf codec, but no public or protected member of a public type outside
   * them names an internal type, so a user never has to touch one. (A plain "no import of an
   * internal package" would not fit this module: the host is where the internal Noise, Yamux and
   * multistream-select pieces are assembled, and keys and protocols share the codec in
   * {@code internal.wire}.)
   */
  @ArchTest
  static final ArchRule apiDoesNotExposeInternalTypes =
      classes()
          .that().resideInAPackage("io.gossipnet.libp2p..")
          .and().resideOutsideOfPackage("..internal..")
          .and().arePublic()
          .should(exposeNoTypeFrom("..internal.."));

  private static ArchCondition<JavaClass> exposeNoTypeFrom(String packageIdentifier) {
    return new ArchCondition<>("expose no type from " + packageIdentifier + " in its public signatures") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        List<String> leaks = new ArrayList<>();
        type.getRawSuperclass().ifPresent(s -> addIfInternal(leaks, "superclass", List.of(s)));
        type.getRawInterfaces().forEach(i -> addIfInternal(leaks, "interface", List.of(i)));
        for (JavaField f : type.getFields()) {
          if (visible(f.getModifiers())) {
            addIfInternal(leaks, "field " + f.getName(), f.getType().getAllInvolvedRawTypes());
          }
        }
        for (JavaCodeUnit c : type.getCodeUnits()) {
          if (!visible(c.getModifiers())) {
            continue;
          }
          List<JavaClass> involved = new ArrayList<>(c.getReturnType().getAllInvolvedRawTypes());
          for (JavaType p : c.getParameterTypes()) {
            involved.addAll(p.getAllInvolvedRawTypes());
          }
          involved.addAll(c.getExceptionTypes());
          addIfInternal(leaks, c.getName() + c.getRawParameterTypes().stream()
              .map(JavaClass::getSimpleName).toList(), involved);
        }
        for (String leak : leaks) {
          events.add(SimpleConditionEvent.violated(type, type.getName() + " exposes " + leak));
        }
      }

      private boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
      }

      private void addIfInternal(List<String> leaks, String where, Iterable<JavaClass> types) {
        for (JavaClass t : types) {
          if (t.getPackageName().contains(".internal")) {
            leaks.add(t.getName() + " (" + where + ")");
          }
        }
      }
    };
  }

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
