#!/usr/bin/env bash
# Release check of the image scripts/build-image.sh writes: unpacks it and starts its entrypoint, as its
# user, from the unpacked filesystem mounted read-only (a chroot with a tmpfs on /tmp, like the chart's
# readOnlyRootFilesystem and /tmp emptyDir), and requires
#   1. `<entrypoint> --version` to print "costguard <version>";
#   2. `<entrypoint> operator`, with the webhook on and certificates generated here, to answer
#      AdmissionReviews over HTTPS: an unlabelled Deployment denied with the label rule's message, a
#      labelled one allowed. Its Kubernetes API is the jar's in-process mock API
#      (scripts/check-image-api.java), started outside the chroot on 127.0.0.1; Prometheus is absent
#      (cost data unavailable), which the label rule does not need.
# Prints a summary (date, digest, size, version line, webhook answers) for docs/image.md; exits non-zero
# on the first failed expectation. Needs root (mount, chroot) and openssl, curl, jq, java on the host.
# Environment: VERSION (default: the chart's appVersion), OUT (default <repo>/operator/target/image),
#   WEBHOOK_PORT (default 18443), HTTP_PORT (default 18080), KEEP=1 keeps the work directory.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUT:-${REPO_ROOT}/operator/target/image}"
VERSION="${VERSION:-$(sed -n 's/^appVersion: *//p' "${REPO_ROOT}/helm/costguard/Chart.yaml" | tr -d '"\047 ')}"
WEBHOOK_PORT="${WEBHOOK_PORT:-18443}"
HTTP_PORT="${HTTP_PORT:-18080}"
SERVICE=costguard-webhook.costguard-system.svc
layout="${OUT}/oci"

log() { printf '[check-image] %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

[[ "$(id -u)" -eq 0 ]] || fail "run as root (mount and chroot)"
for tool in umoci jq openssl curl java; do
  command -v "${tool}" >/dev/null 2>&1 || fail "${tool} is missing (scripts/build-image.sh installs umoci)"
done
if [[ ! -f "${layout}/index.json" ]]; then
  log "no image at ${layout}; building it"
  "${REPO_ROOT}/scripts/build-image.sh"
fi

work="$(mktemp -d)"
root="${work}/root"
api_pid=""
operator_pid=""
cleanup() {
  set +e
  [[ -n "${operator_pid}" ]] && kill "${operator_pid}" 2>/dev/null && wait "${operator_pid}" 2>/dev/null
  [[ -n "${api_pid}" ]] && kill "${api_pid}" 2>/dev/null && wait "${api_pid}" 2>/dev/null
  for m in "${root}/proc" "${root}/tmp" "${root}"; do
    mountpoint -q "${m}" 2>/dev/null && umount "${m}"
  done
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept ${work}"; else rm -rf "${work}"; fi
}
trap cleanup EXIT

blob() { printf '%s/blobs/%s' "${layout}" "${1/://}"; }
manifest="$(jq -r --arg v "${VERSION}" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $v) | .digest' "${layout}/index.json")"
[[ -n "${manifest}" ]] || fail "no tag ${VERSION} in ${layout}"
config="$(blob "$(jq -r .config.digest "$(blob "${manifest}")")")"
size="$(jq '[.layers[].size] | add' "$(blob "${manifest}")")"
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "${config}")
user="$(jq -r .config.User "${config}")"
workdir="$(jq -r '.config.WorkingDir // "/"' "${config}")"
path_env="$(jq -r '.config.Env[] | select(startswith("PATH="))' "${config}")"
[[ "${user}" =~ ^[1-9][0-9]*:[1-9][0-9]*$ ]] || fail "image user '${user}' is not a numeric non-root uid:gid"
uid="${user%%:*}"

log "unpacking ${layout}:${VERSION} (${manifest})"
umoci unpack --image "${layout}:${VERSION}" "${work}/bundle" >/dev/null
mkdir -p "${root}"
mount --bind "${work}/bundle/rootfs" "${root}"
mount -o remount,bind,ro "${root}"
mount -t tmpfs -o mode=1777,size=64m tmpfs "${root}/tmp"
mount -t proc proc "${root}/proc"

# the command line that runs argv in the image: its user, PATH and working directory, and of this
# environment only the given variables (a simple command, so that `… &` makes $! the JVM's pid)
in_image() { # VAR=value ...
  image=(chroot --userspec="${user}" "${root}" /usr/bin/env -i "${path_env}" HOME=/tmp "$@"
    /bin/sh -c 'cd "$0" && exec "$@"' "${workdir}" "${entrypoint[@]}")
}

in_image
version_line="$("${image[@]}" --version)" || fail "--version exited $?"
[[ "${version_line}" == "costguard ${VERSION}" ]] || fail "--version printed '${version_line}', expected 'costguard ${VERSION}'"
log "--version: ${version_line}"

tls="${root}/tmp/tls"
mkdir -p "${tls}"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=costguard-check-ca \
  -keyout "${work}/ca.key" -out "${work}/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=${SERVICE}" \
  -keyout "${tls}/tls.key" -out "${work}/tls.csr" 2>/dev/null
openssl x509 -req -in "${work}/tls.csr" -CA "${work}/ca.crt" -CAkey "${work}/ca.key" -CAcreateserial -days 1 \
  -extfile <(printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "${SERVICE}") -out "${tls}/tls.crt" 2>/dev/null
chown -R "${uid}" "${tls}"

# the demo's jar: the operator's classes with the in-process API, which the operator's own jar leaves out
demo_jar="${REPO_ROOT}/demo/target/costguard-demo.jar"
[[ -f "${demo_jar}" ]] || (cd "${REPO_ROOT}" && mvn -B -q -ntp -DskipTests -pl demo -am package)
java -cp "${demo_jar}" "${REPO_ROOT}/scripts/check-image-api.java" "${root}/tmp/kubeconfig" \
  >"${work}/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do
  grep -q '^ready' "${work}/api.log" && break
  kill -0 "${api_pid}" 2>/dev/null || fail "the local API did not start: $(cat "${work}/api.log")"
  sleep 0.5
done
grep -q '^ready' "${work}/api.log" || fail "the local API did not start within 60 s"
chown "${uid}" "${root}/tmp/kubeconfig"

in_image KUBECONFIG=/tmp/kubeconfig POD_NAMESPACE=costguard-system POD_NAME=costguard-check \
  COSTGUARD_PROMETHEUS_URL=http://127.0.0.1:9 COSTGUARD_SERVER_SIDE_APPLY=false \
  COSTGUARD_HTTP_PORT="${HTTP_PORT}" COSTGUARD_WEBHOOK_ENABLED=true COSTGUARD_WEBHOOK_PORT="${WEBHOOK_PORT}" \
  COSTGUARD_WEBHOOK_CERT_DIR=/tmp/tls JAVA_TOOL_OPTIONS=-XX:+ExitOnOutOfMemoryError
"${image[@]}" operator >"${work}/operator.log" 2>&1 &
operator_pid=$!

deployment() { # name, labels (JSON object)
  jq -cn --arg name "$1" --argjson labels "$2" '{apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: {
    uid: "check-\($name)", operation: "CREATE", namespace: "team-alpha", name: $name, userInfo: {username: "release-check"},
    kind: {group: "apps", version: "v1", kind: "Deployment"}, resource: {group: "apps", version: "v1", resource: "deployments"},
    object: {apiVersion: "apps/v1", kind: "Deployment", metadata: {name: $name, namespace: "team-alpha", labels: $labels},
      spec: {replicas: 1, template: {metadata: {labels: $labels},
        spec: {containers: [{name: "app", image: "app:1", resources: {requests: {cpu: "100m", memory: "128Mi"}}}]}}}}}}'
}
review() {
  curl -sS --fail --max-time 10 --cacert "${work}/ca.crt" --resolve "${SERVICE}:${WEBHOOK_PORT}:127.0.0.1" \
    -H 'Content-Type: application/json' --data-binary @- "https://${SERVICE}:${WEBHOOK_PORT}/validate"
}

unlabelled="$(deployment stray '{"tenant": "alpha"}')"
started="$(date +%s)"
answer=""
for _ in $(seq 1 180); do
  kill -0 "${operator_pid}" 2>/dev/null || fail "the operator exited: $(tail -5 "${work}/operator.log")"
  answer="$(review <<<"${unlabelled}" 2>/dev/null)" && break
  answer=""
  sleep 1
done
[[ -n "${answer}" ]] || fail "no webhook answer within 180 s: $(tail -5 "${work}/operator.log")"
first_answer=$(( $(date +%s) - started ))
denied="$(jq -c '.response | {allowed, code: .status.code, message: .status.message}' <<<"${answer}")"
[[ "$(jq -r .response.allowed <<<"${answer}")" == false ]] || fail "the unlabelled Deployment was not denied: ${answer}"
jq -e '.response.status.message | contains("lacks cost-allocation labels")' <<<"${answer}" >/dev/null \
  || fail "the denial does not name the label rule: ${answer}"
labels='{"tenant": "alpha", "feature": "search", "team": "alpha", "environment": "prod"}'
answer="$(review <<<"$(deployment api "${labels}")")" || fail "no answer for the labelled Deployment"
allowed="$(jq -c '.response | {allowed, warnings}' <<<"${answer}")"
[[ "$(jq -r .response.allowed <<<"${answer}")" == true ]] || fail "the labelled Deployment was not allowed: ${answer}"
ready="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${HTTP_PORT}/readyz" || true)"

cat <<SUMMARY
date:            $(date -u +%Y-%m-%dT%H:%M:%SZ)
image:           ${layout}:${VERSION}
manifest digest: ${manifest}
layers:          ${size} bytes compressed, $(du -sb "${work}/bundle/rootfs" | cut -f1) bytes unpacked
entrypoint:      $(jq -c .config.Entrypoint "${config}") cmd $(jq -c .config.Cmd "${config}") user ${user} workdir ${workdir}
--version:       ${version_line}
operator:        started from the read-only root as ${user}; first webhook answer after ${first_answer} s; /readyz ${ready}
unlabelled:      ${denied}
labelled:        ${allowed}
SUMMARY
log "PASS"
