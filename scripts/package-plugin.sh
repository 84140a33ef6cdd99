#!/usr/bin/env bash
# The kubectl plugin as a release archive and its krew manifest:
#   scripts/package-plugin.sh [URL_BASE]
# writes operator/target/plugin/kubectl-costguard-v<version>.tar.gz (kubectl-costguard, kubectl_complete-costguard,
# costguard.jar) and operator/target/plugin/costguard.yaml, a krew manifest whose uri is URL_BASE/<archive> and whose
# sha256 is the archive's. The archive is reproducible (sorted names, fixed times and owners), so the same jar gives the
# same checksum. Try it before publishing: kubectl krew install --manifest=operator/target/plugin/costguard.yaml
#   --archive=operator/target/plugin/kubectl-costguard-v<version>.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${COSTGUARD_JAR:-operator/target/costguard.jar}
if [[ ! -f "$jar" ]]; then
  echo "package-plugin: $jar not found: build it first (mvn -B -ntp -pl operator -am package -DskipTests)" >&2
  exit 2
fi
version=$(java -jar "$jar" --version | awk '{print $2}')
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  echo "package-plugin: cannot read the version from '$jar --version' (got '$version')" >&2
  exit 2
fi
base=${1:-https://github.com/costguard/costguard/releases/download/v$version}
out=operator/target/plugin
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"
install -m 0755 scripts/kubectl-costguard scripts/kubectl_complete-costguard "$stage/"
install -m 0644 "$jar" "$stage/costguard.jar"
archive=kubectl-costguard-v$version.tar.gz
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$stage" -cf - \
  costguard.jar kubectl-costguard kubectl_complete-costguard | gzip -9n > "$out/$archive"
sha=$(sha256sum "$out/$archive" | awk '{print $1}')
cat > "$out/costguard.yaml" <<MANIFEST
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: costguard
spec:
  version: v$version
  homepage: https://github.com/costguard/costguard
  shortDescription: Cost budgets, SLO baselines and load-test verdicts of costguard
  description: |
    Shows where every CostBudget stands and why (kubectl costguard budgets -A), the
    unattributed spend by namespace, the workloads the label rule would refuse
    (kubectl costguard audit), forecasts and anomaly checks on a billing export, and
    BenchRun reports. Reads the cluster through your kubeconfig like kubectl does.
  caveats: |
    Needs Java 17 or newer (JAVA_HOME, or java on PATH).
    krew links only kubectl-costguard. For 'kubectl costguard <TAB>' in any shell
    kubectl completes, link kubectl_complete-costguard from
    ~/.krew/store/costguard/v$version/ into a directory on your PATH.
  platforms:
  - selector:
      matchExpressions:
      - key: os
        operator: In
        values: [linux, darwin]
    uri: $base/$archive
    sha256: $sha
    files:
    - from: kubectl-costguard
      to: .
    - from: kubectl_complete-costguard
      to: .
    - from: costguard.jar
      to: .
    bin: kubectl-costguard
MANIFEST
echo "$out/$archive"
echo "$out/costguard.yaml (sha256 $sha)"
