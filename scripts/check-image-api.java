// The Kubernetes API side of scripts/check-image.sh: the demo jar's in-process API (fabric8's mock server in CRUD
// mode, as scripts/demo.sh and the e2e tests use) with costguard's CRDs and the namespaces the check needs.
// Run with that jar on the class path: java -cp costguard-demo.jar scripts/check-image-api.java <kubeconfig-out>
// Writes the kubeconfig, prints "ready <url>" and serves until it is killed.
import io.costguard.demo.Bundled;
import io.costguard.demo.LocalKubernetes;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class CheckImageApi {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: java -cp costguard-demo.jar check-image-api.java <kubeconfig-out>");
      System.exit(2);
    }
    try (LocalKubernetes kube = new LocalKubernetes().start()) {
      KubernetesClient client = kube.client();
      kube.createNamespaces(client, List.of("costguard-system", "team-alpha"));
      List<CustomResourceDefinition> crds = new ArrayList<>();
      for (String yaml : Bundled.yamlFiles("costguard/crds")) {
        crds.add(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
      }
      kube.installCrds(client, crds);
      kube.writeKubeconfig(Path.of(args[0]), "costguard-system");
      System.out.println("ready " + kube.url());
      System.out.flush();
      Thread.currentThread().join();
    }
  }
}
