package io.costguard.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process Kubernetes API: fabric8's mock server in CRUD mode, plus the discovery endpoints
 * ({@code /version}, {@code /api}, {@code /apis/...}) it does not serve by itself, so that the real kubectl
 * can talk to it. Custom resources become known when their CRD is created through the API.
 */
public final class LocalKubernetes implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesMockServer server;
    private final List<CustomResourceDefinition> crds = new CopyOnWriteArrayList<>();

    // the mock server logs every request at INFO through java.util.logging; held here, since JUL forgets
    // the level of a logger nobody references
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    public LocalKubernetes() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses);
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), responses, new DiscoveryDispatcher(crud), false);
    }

    public LocalKubernetes start() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public KubernetesClient client() {
        return server.createClient();
    }

    /** Creates namespaces, as a cluster would have them. */
    public void createNamespaces(KubernetesClient client, java.util.Collection<String> names) {
        for (String ns : names) {
            client.namespaces()
                    .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
        }
    }

    /** Creates the CRDs through the API (which registers them with the CRUD store) and serves them in discovery. */
    public void installCrds(KubernetesClient client, List<CustomResourceDefinition> definitions) {
        for (CustomResourceDefinition crd : definitions) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
            crds.add(crd);
        }
    }

    /** Writes a kubeconfig for kubectl and for the operator process. */
    public Path writeKubeconfig(Path file, String namespace) throws IOException {
        String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: costguard-local\n  cluster:\n    server: "
                + url() + "\n"
                + "contexts:\n- name: costguard-local\n  context:\n    cluster: costguard-local\n    user: costguard-local\n    namespace: "
                + namespace + "\n"
                + "current-context: costguard-local\nusers:\n- name: costguard-local\n  user:\n    token: local\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, yaml);
        return file;
    }

    @Override
    public void close() {
        server.destroy();
    }

    /** Answers discovery requests; everything else goes to the CRUD store. */
    private final class DiscoveryDispatcher extends Dispatcher {
        private final Dispatcher crud;

        DiscoveryDispatcher(Dispatcher crud) {
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            int q = path.indexOf('?');
            String bare = q < 0 ? path : path.substring(0, q);
            if ("POST".equals(request.getMethod())
                    && bare.equals("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                // the local API's user may do everything, as with an admin kubeconfig (JOSDK asks before leader
                // election)
                ObjectNode review = JSON.createObjectNode()
                        .put("apiVersion", "authorization.k8s.io/v1")
                        .put("kind", "SelfSubjectRulesReview");
                ObjectNode status = review.putObject("status").put("incomplete", false);
                ObjectNode rule = status.putArray("resourceRules").addObject();
                rule.putArray("verbs").add("*");
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
                status.putArray("nonResourceRules");
                return new MockResponse()
                        .setResponseCode(201)
                        .addHeader("Content-Type", "application/json")
                        .setBody(review.toString());
            }
            if ("GET".equals(request.getMethod())
                    && bare.matches("/api/v1/namespaces/[^/]+/events")
                    && path.contains("involvedObject")) {
                return eventsOf(request, bare, path.substring(q + 1));
            }
            if ("GET".equals(request.getMethod())) {
                ObjectNode body = discovery(bare);
                if (body != null) {
                    return new MockResponse()
                            .setResponseCode(200)
                            .addHeader("Content-Type", "application/json")
                            .setBody(body.toString());
                }
            }
            return crud.dispatch(request);
        }

        @Override
        public void shutdown() {
            crud.shutdown();
        }

        /** kubectl describe lists events by involvedObject field selectors, which the CRUD store ignores: filter here. */
        private MockResponse eventsOf(RecordedRequest request, String bare, String query) {
            Map<String, String> wanted = new java.util.HashMap<>();
            for (String param : query.split("&")) {
                if (param.startsWith("fieldSelector=")) {
                    String selector = java.net.URLDecoder.decode(
                            param.substring("fieldSelector=".length()), java.nio.charset.StandardCharsets.UTF_8);
                    for (String term : selector.split(",")) {
                        String[] kv = term.split("=", 2);
                        if (kv.length == 2 && kv[0].startsWith("involvedObject.")) {
                            wanted.put(kv[0].substring("involvedObject.".length()), kv[1]);
                        }
                    }
                }
            }
            MockResponse all = crud.dispatch(new RecordedRequest(
                    request.getHttpVersion(), request.method(), bare, request.getHeaders(), request.getBody()));
            try {
                ObjectNode list = (ObjectNode) JSON.readTree(all.getBody().getBytes());
                ArrayNode kept = JSON.createArrayNode();
                for (var item : list.withArray("items")) {
                    boolean match = wanted.entrySet().stream()
                            .allMatch(e -> e.getValue()
                                    .equals(item.path("involvedObject")
                                            .path(e.getKey())
                                            .asText()));
                    if (match) {
                        kept.add(item);
                    }
                }
                list.set("items", kept);
                list.put("kind", "EventList");
                list.putObject("metadata");
                return new MockResponse()
                        .setResponseCode(200)
                        .addHeader("Content-Type", "application/json")
                        .setBody(list.toString());
            } catch (IOException | RuntimeException e) {
                return all;
            }
        }
    }

    private ObjectNode discovery(String path) {
        switch (path) {
            case "/version": {
                ObjectNode v = JSON.createObjectNode();
                v.put("major", "1")
                        .put("minor", "34")
                        .put("gitVersion", "v1.34.0-costguard-local")
                        .put("platform", "linux/amd64");
                return v;
            }
            case "/api": {
                ObjectNode v = JSON.createObjectNode().put("kind", "APIVersions");
                v.putArray("versions").add("v1");
                v.putArray("serverAddressByClientCIDRs")
                        .addObject()
                        .put("clientCIDR", "0.0.0.0/0")
                        .put("serverAddress", "127.0.0.1");
                return v;
            }
            case "/apis": {
                ObjectNode list =
                        JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
                ArrayNode groups = list.putArray("groups");
                Map<String, List<String>> versions = groupVersions();
                versions.forEach((group, vs) -> {
                    ObjectNode g = groups.addObject().put("name", group);
                    ArrayNode arr = g.putArray("versions");
                    for (String v : vs) {
                        arr.addObject().put("groupVersion", group + "/" + v).put("version", v);
                    }
                    g.putObject("preferredVersion")
                            .put("groupVersion", group + "/" + vs.get(0))
                            .put("version", vs.get(0));
                });
                return list;
            }
            case "/api/v1":
                return resourceList(
                        "v1",
                        List.of(
                                resource("namespaces", "Namespace", false, List.of("ns")),
                                resource("events", "Event", true, List.of("ev")),
                                resource("pods", "Pod", true, List.of("po")),
                                resource("configmaps", "ConfigMap", true, List.of("cm")),
                                resource("services", "Service", true, List.of("svc"))));
            case "/apis/apiextensions.k8s.io/v1":
                return resourceList(
                        "apiextensions.k8s.io/v1",
                        List.of(resource(
                                "customresourcedefinitions",
                                "CustomResourceDefinition",
                                false,
                                List.of("crd", "crds"))));
            case "/apis/apps/v1":
                return resourceList("apps/v1", List.of(resource("deployments", "Deployment", true, List.of("deploy"))));
            case "/apis/events.k8s.io/v1":
                return resourceList("events.k8s.io/v1", List.of(resource("events", "Event", true, List.of("ev"))));
            default:
                for (CustomResourceDefinition crd : crds) {
                    for (var v : crd.getSpec().getVersions()) {
                        String gv = crd.getSpec().getGroup() + "/" + v.getName();
                        if (path.equals("/apis/" + gv)) {
                            List<ObjectNode> resources = new ArrayList<>();
                            for (CustomResourceDefinition other : crds) {
                                if (other.getSpec()
                                        .getGroup()
                                        .equals(crd.getSpec().getGroup())) {
                                    var names = other.getSpec().getNames();
                                    ObjectNode r = resource(
                                            names.getPlural(),
                                            names.getKind(),
                                            "Namespaced".equals(other.getSpec().getScope()),
                                            names.getShortNames() == null ? List.of() : names.getShortNames());
                                    r.put("singularName", names.getSingular());
                                    r.putArray("categories");
                                    resources.add(r);
                                    ObjectNode status = resource(
                                            names.getPlural() + "/status",
                                            names.getKind(),
                                            "Namespaced".equals(other.getSpec().getScope()),
                                            List.of());
                                    resources.add(status);
                                }
                            }
                            return resourceList(gv, resources);
                        }
                    }
                }
                return null;
        }
    }

    private Map<String, List<String>> groupVersions() {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        out.put("apiextensions.k8s.io", List.of("v1"));
        out.put("apps", List.of("v1"));
        out.put("events.k8s.io", List.of("v1"));
        for (CustomResourceDefinition crd : crds) {
            List<String> vs = out.computeIfAbsent(crd.getSpec().getGroup(), g -> new ArrayList<>());
            for (var v : crd.getSpec().getVersions()) {
                if (!vs.contains(v.getName())) {
                    vs.add(v.getName());
                }
            }
        }
        return out;
    }

    private static ObjectNode resourceList(String groupVersion, List<ObjectNode> resources) {
        ObjectNode list = JSON.createObjectNode()
                .put("kind", "APIResourceList")
                .put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode arr = list.putArray("resources");
        resources.forEach(arr::add);
        return list;
    }

    private static ObjectNode resource(String plural, String kind, boolean namespaced, List<String> shortNames) {
        ObjectNode r = JSON.createObjectNode()
                .put("name", plural)
                .put("singularName", "")
                .put("namespaced", namespaced)
                .put("kind", kind);
        ArrayNode verbs = r.putArray("verbs");
        for (String v : List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")) {
            verbs.add(v);
        }
        ArrayNode sn = r.putArray("shortNames");
        shortNames.forEach(sn::add);
        return r;
    }
}
