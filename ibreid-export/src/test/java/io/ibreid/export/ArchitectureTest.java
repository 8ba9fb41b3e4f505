package io.ibreid.export;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * ibreid-export is a library module under the facade: it uses ib-core, the encoders and the evaluation's feature
 * definition, never the facade or an application, and writes nothing to the standard streams.
 */
@AnalyzeClasses(packages = "io.ibreid.export", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule belowTheFacade = noClasses().that().resideInAPackage("io.ibreid.export..")
      .should().dependOnClassesThat().resideInAnyPackage("io.ibreid", "io.ibreid.cli..", "io.ibreid.ablation..",
          "io.ibreid.analysis..", "ai.onnxruntime..")
      .because("the export is library code that the facade and the command line call, and ONNX Runtime is for "
          + "tests only");

  @ArchTest
  static final ArchRule noStandardStreams = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
}
