package io.costguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates the CRDs from the Java types and compares them with the committed files in crds/.
 * Run {@code mvn -pl operator test -Dtest=CrdFilesTest -Dcrds.update=true} to rewrite them.
 */
class CrdFilesTest {
  static final List<Class<? extends CustomResource<?, ?>>> KINDS = CustomResourceKinds.ALL;

  @Test
  void committedCrdsMatchTheJavaTypes(@TempDir Path out) throws IOException {
    new CRDGenerator()
        .customResourceClasses(KINDS.toArray(Class[]::new))
        .forCRDVersions("v1")
        .withPostProcessor(new CRDPostProcessor() {
          @Override
          public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            return orderPrinterColumnsAsDeclared(crd);
          }
        })
        .inOutputDir(out.toFile())
        .generate();

    Path committed = Path.of(System.getProperty("costguard.crds.dir", "../crds"));
    boolean update = Boolean.parseBoolean(System.getProperty("costguard.crds.update", "false"));
    List<Path> generated;
    try (Stream<Path> files = Files.list(out)) {
      generated = files.sorted().collect(Collectors.toList());
    }
    assertThat(generated).hasSize(KINDS.size());
    for (Path file : generated) {
      Path target = committed.resolve(file.getFileName());
      String expected = Files.readString(file);
      if (update) {
        Files.createDirectories(committed);
        Files.writeString(target, expected);
      }
      assertThat(target)
          .as("%s is out of date: run mvn -pl operator test -Dtest=CrdFilesTest -Dcrds.update=true", target)
          .exists();
      assertThat(Files.readString(target))
          .as("%s differs from the Java types: run mvn -pl operator test -Dtest=CrdFilesTest -Dcrds.update=true", target)
          .isEqualTo(expected);
    }
  }

  /** The generator sorts printer columns by JSON path; kubectl shows them in CRD order, so restore the declared order. */
  static HasMetadata orderPrinterColumnsAsDeclared(HasMetadata resource) {
    if (!(resource instanceof CustomResourceDefinition crd)) {
      return resource;
    }
    Map<String, Class<?>> byKind =
        KINDS.stream().collect(Collectors.toMap(Class::getSimpleName, Function.identity()));
    Class<?> type = byKind.get(crd.getSpec().getNames().getKind());
    List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .collect(Collectors.toList());
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (version.getAdditionalPrinterColumns() != null) {
        version.getAdditionalPrinterColumns()
            .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
      }
    }
    return crd;
  }
}
