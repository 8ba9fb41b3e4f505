package io.ibreid.index;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * ibreid-index stores vectors and knows nothing of models: it uses Lucene, the JDK and ib-core's one-line exception
 * and file-failure wording only; as a library module it writes nothing to the standard streams.
 */
@AnalyzeClasses(packages = "io.ibreid.index", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule onlyLuceneAndTheException = classes().that().resideInAPackage("io.ibreid.index..")
      .should().onlyDependOnClassesThat(resideInAnyPackage("io.ibreid.index..", "java..", "org.apache.lucene..")
          .or(JavaClass.Predicates.equivalentTo(io.ibreid.core.IbreidException.class))
          .or(JavaClass.Predicates.equivalentTo(io.ibreid.core.FileFailures.class)))
      .because("the index is independent of how its vectors were made");

  @ArchTest
  static final ArchRule noStandardStreams = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
}
