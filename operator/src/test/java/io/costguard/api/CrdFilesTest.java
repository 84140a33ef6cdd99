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
                .withMinQuotes(true)
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                        return describeConditions(orderPrinterColumnsAsDeclared(crd));
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
                    .as(
                            "%s differs from the Java types: run mvn -pl operator test -Dtest=CrdFilesTest -Dcrds.update=true",
                            target)
                    .isEqualTo(expected);
        }
    }

    static final Map<String, String> CONDITION_FIELDS = Map.of(
            "type", "Kind of condition: Ready, DataAvailable, ...",
            "status", "True, False or Unknown.",
            "reason", "One word in CamelCase saying why the condition is in its status.",
            "message", "What happened and, when something is wrong, how to fix it.",
            "lastTransitionTime", "When status last changed (RFC 3339).",
            "observedGeneration", "The metadata.generation the condition was set for.");

    /** Conditions use fabric8's Condition type, which has no descriptions: add the Kubernetes API conventions' ones. */
    static HasMetadata describeConditions(HasMetadata resource) {
        if (resource instanceof CustomResourceDefinition crd) {
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                var status =
                        version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
                var conditions = status == null ? null : status.getProperties().get("conditions");
                if (conditions != null
                        && conditions.getItems() != null
                        && conditions.getItems().getSchema() != null) {
                    conditions.getItems().getSchema().getProperties().forEach((name, prop) -> {
                        if (prop.getDescription() == null && CONDITION_FIELDS.containsKey(name)) {
                            prop.setDescription(CONDITION_FIELDS.get(name));
                        }
                    });
                }
            }
        }
        return resource;
    }

    /**
     * Each kind names its plural and singular: without them fabric8 derives the plural with its pluralizing regexes
     * twice in every object's constructor (every parse, copy and status patch), which showed in profiles at scale.
     */
    @Test
    void everyKindNamesItsPluralAndSingularAsItsCrdDoes() throws IOException {
        Path committed = Path.of(System.getProperty("costguard.crds.dir", "../crds"));
        for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
            io.fabric8.kubernetes.model.annotation.Plural plural =
                    kind.getAnnotation(io.fabric8.kubernetes.model.annotation.Plural.class);
            io.fabric8.kubernetes.model.annotation.Singular singular =
                    kind.getAnnotation(io.fabric8.kubernetes.model.annotation.Singular.class);
            assertThat(plural).as(kind.getSimpleName() + " @Plural").isNotNull();
            assertThat(singular).as(kind.getSimpleName() + " @Singular").isNotNull();
            String crd = Files.readString(committed.resolve(HasMetadata.getFullResourceName(kind) + "-v1.yml"));
            assertThat(crd)
                    .contains("plural: " + plural.value() + "\n")
                    .contains("singular: " + singular.value() + "\n");
            assertThat(plural.value()).isEqualTo(io.fabric8.kubernetes.api.Pluralize.toPlural(singular.value()));
        }
    }

    @Test
    void everyPropertyIsDescribedForKubectlExplain() throws IOException {
        Path committed = Path.of(System.getProperty("costguard.crds.dir", "../crds"));
        try (Stream<Path> files = Files.list(committed)) {
            for (Path file : files.sorted().toList()) {
                CustomResourceDefinition crd = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        Files.readString(file), CustomResourceDefinition.class);
                for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                    List<String> missing = new java.util.ArrayList<>();
                    undescribed("", v.getSchema().getOpenAPIV3Schema(), missing);
                    assertThat(missing)
                            .as("%s: properties without a description", file.getFileName())
                            .isEmpty();
                }
            }
        }
    }

    private static void undescribed(
            String path,
            io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps schema,
            List<String> missing) {
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, prop) -> {
                String p = path.isEmpty() ? name : path + "." + name;
                if (prop.getDescription() == null
                        && !p.equals("apiVersion")
                        && !p.equals("kind")
                        && !p.equals("metadata")
                        && !p.equals("spec")
                        && !p.equals("status")) {
                    missing.add(p);
                }
                undescribed(p, prop, missing);
            });
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            undescribed(path + "[]", schema.getItems().getSchema(), missing);
        }
        if (schema.getAdditionalProperties() != null
                && schema.getAdditionalProperties().getSchema() != null) {
            undescribed(path + "{}", schema.getAdditionalProperties().getSchema(), missing);
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
                        .sort(Comparator.comparingInt(
                                (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
            }
        }
        return crd;
    }
}
