package io.ibreid.core;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;

/**
 * ib-core's package rules, on its main classes: the plug-in SPI is a leaf, and no two packages import each other
 * (directly or round a longer circle).
 */
@AnalyzeClasses(packages = "io.ibreid.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** The two exception classes of the root package that the SPI may throw. */
  private static final Set<String> ROOT_EXCEPTIONS = Set.of(IbreidException.class.getName(),
      ConfigException.class.getName());

  @ArchTest
  static final ArchRule pluginSpiImportsNothingOfTheEngine = classes()
      .that().resideInAPackage("io.ibreid.core.plugin..")
      .should().onlyDependOnClassesThat(resideInAnyPackage("io.ibreid.core.plugin..", "java..",
          "com.fasterxml.jackson..")
          .or(describe("are IbreidException or ConfigException",
              (JavaClass c) -> ROOT_EXCEPTIONS.contains(c.getName()))))
      .because("the plug-in SPI is a leaf: every engine package may use it, it uses none of them");

  @ArchTest
  static final ArchRule ibCorePackagesFormNoCycle = slices()
      .assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String name = javaClass.getPackageName();
          return name.startsWith("io.ibreid.core") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "ib-core's packages, the root package included";
        }
      })
      .should().beFreeOfCycles();
}
