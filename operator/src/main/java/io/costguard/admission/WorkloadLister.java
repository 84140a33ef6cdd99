package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.kube.ListPages;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Lists the checked kinds page by page (500 at a time), in the watched namespaces or all, for the audit. A kind
 * whose API is not installed (no Argo Rollouts, say) is skipped.
 */
public final class WorkloadLister {
    private static final Map<String, String> VERSIONS =
            Map.of("", "v1", "apps", "v1", "batch", "v1", "argoproj.io", "v1alpha1");

    private final KubernetesClient client;
    private final ObjectMapper mapper;

    public WorkloadLister(KubernetesClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    /** Hands each page to {@code page}, objects with apiVersion and kind set. */
    public void list(List<Workloads.Kind> kinds, Set<String> namespaces, Consumer<List<JsonNode>> page) {
        for (Workloads.Kind k : kinds) {
            ResourceDefinitionContext ctx = context(client, k);
            if (ctx == null) {
                continue;
            }
            String apiVersion = k.group().isEmpty() ? ctx.getVersion() : k.group() + "/" + ctx.getVersion();
            if (namespaces.isEmpty()) {
                pages(ctx, apiVersion, k.kind(), null, page);
            } else {
                for (String ns : namespaces) {
                    pages(ctx, apiVersion, k.kind(), ns, page);
                }
            }
        }
    }

    /** How to address a checked kind through the generic client, or null when its API is not installed. */
    static ResourceDefinitionContext context(KubernetesClient client, Workloads.Kind k) {
        String version = VERSIONS.get(k.group());
        if (version == null) {
            var group = client.getApiGroup(k.group());
            if (group == null || group.getPreferredVersion() == null) {
                return null;
            }
            version = group.getPreferredVersion().getVersion();
        }
        return new ResourceDefinitionContext.Builder()
                .withGroup(k.group())
                .withVersion(version)
                .withKind(k.kind())
                .withPlural(Workloads.plural(k))
                .withNamespaced(true)
                .build();
    }

    private void pages(
            ResourceDefinitionContext ctx,
            String apiVersion,
            String kind,
            String namespace,
            Consumer<List<JsonNode>> page) {
        String next = null;
        do {
            GenericKubernetesResourceList list;
            try {
                var options = new ListOptionsBuilder()
                        .withLimit(ListPages.BIG_OBJECTS)
                        .withContinue(next)
                        .build();
                list = namespace == null
                        ? client.genericKubernetesResources(ctx)
                                .inAnyNamespace()
                                .list(options)
                        : client.genericKubernetesResources(ctx)
                                .inNamespace(namespace)
                                .list(options);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                throw e;
            }
            List<JsonNode> out = new ArrayList<>(list.getItems().size());
            for (GenericKubernetesResource r : list.getItems()) {
                JsonNode n = mapper.valueToTree(r);
                ((com.fasterxml.jackson.databind.node.ObjectNode) n)
                        .put("apiVersion", apiVersion)
                        .put("kind", kind);
                out.add(n);
            }
            page.accept(out);
            next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
    }
}
