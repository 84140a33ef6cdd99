#!/usr/bin/env bash
# Builds the costguard container image without a container daemon, from Debian's packages only:
#
#   1. mmdebstrap: a minimal Debian bookworm root filesystem with openjdk-17-jre-headless and
#      ca-certificates, documentation, man pages, locales and apt caches left out;
#   2. the jar at /app/costguard.jar and a passwd/group entry for the non-root user 65532;
#   3. umoci: that filesystem as the single layer of an OCI image, with the same entrypoint, user,
#      working directory and OCI labels as operator/Dockerfile.
#
# Output (under operator/target/image/):
#   oci/                         an OCI image layout, tag <version> (e.g. `skopeo copy oci:…/oci:0.1.0 docker://…`)
#   costguard-<version>.oci.tar  the same layout as one tarball (`podman load -i`, `skopeo copy oci-archive:`)
#
# Needs root (mmdebstrap writes device nodes and file ownership) and network access to the Debian mirror.
# Installs mmdebstrap and umoci with apt-get when they are missing; builds the jar with Maven when
# operator/target/costguard.jar is missing. Takes about a minute after the packages are cached.
# Environment:
#   VERSION     image tag and org.opencontainers.image.version (default: the chart's appVersion)
#   MIRROR      Debian mirror (default http://deb.debian.org/debian)
#   OUT         output directory (default <repo>/operator/target/image)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUT:-${REPO_ROOT}/operator/target/image}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
JAR="${REPO_ROOT}/operator/target/costguard.jar"
VERSION="${VERSION:-$(sed -n 's/^appVersion: *//p' "${REPO_ROOT}/helm/costguard/Chart.yaml" | tr -d '"\047 ')}"
IMAGE_UID=65532

log() { printf '[build-image] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ -n "${VERSION}" ]] || die "no version: set VERSION or appVersion in helm/costguard/Chart.yaml"
[[ "$(id -u)" -eq 0 ]] || die "run as root (mmdebstrap needs it to set file ownership and device nodes)"

missing=()
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
command -v umoci >/dev/null 2>&1 || missing+=(umoci)
if (( ${#missing[@]} > 0 )); then
  log "installing ${missing[*]} from Debian"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if [[ ! -f "${JAR}" ]]; then
  log "building ${JAR}"
  (cd "${REPO_ROOT}" && mvn -q -pl operator -am package -DskipTests)
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

log "assembling the root filesystem (Debian bookworm, openjdk-17-jre-headless) from ${MIRROR}"
# path-exclude keeps dpkg from unpacking documentation and translations; the copyright files stay.
# The empty man1 directory is for update-alternatives, which fails to make java's man page link without it.
mmdebstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook="mkdir -p \"\$1/app\" && install -m 0644 '${JAR}' \"\$1/app/costguard.jar\"" \
  --customize-hook="echo 'costguard:x:${IMAGE_UID}:${IMAGE_UID}:costguard:/nonexistent:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
  --customize-hook="echo 'costguard:x:${IMAGE_UID}:' >> \"\$1/etc/group\"" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/debconf/*-old "$1"/var/log/*.log "$1"/var/log/apt/*' \
  bookworm "${work}/rootfs.tar" "${MIRROR}"

jre="$(tar -xOf "${work}/rootfs.tar" ./var/lib/dpkg/status | awk '/^Package: openjdk-17-jre-headless$/{p=1} p&&/^Version:/{print $2; exit}')"
log "openjdk-17-jre-headless ${jre}"

rm -rf "${OUT}"
mkdir -p "${OUT}"
layout="${OUT}/oci"
umoci init --layout "${layout}"
umoci new --image "${layout}:${VERSION}"
umoci raw add-layer --image "${layout}:${VERSION}" --history.created_by "mmdebstrap bookworm + openjdk-17-jre-headless ${jre} + costguard.jar" "${work}/rootfs.tar"
revision="$(git -C "${REPO_ROOT}" rev-parse HEAD 2>/dev/null || echo unknown)"
umoci config --image "${layout}:${VERSION}" \
  --architecture "$(dpkg --print-architecture)" --os linux \
  --config.user "${IMAGE_UID}:${IMAGE_UID}" \
  --config.entrypoint /usr/bin/java --config.entrypoint -jar --config.entrypoint /app/costguard.jar \
  --config.cmd operator \
  --config.workingdir /app \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.label org.opencontainers.image.title=costguard \
  --config.label "org.opencontainers.image.description=Kubernetes operator enforcing cost and SLO guardrails" \
  --config.label org.opencontainers.image.source=https://github.com/costguard/costguard \
  --config.label "org.opencontainers.image.version=${VERSION}" \
  --config.label "org.opencontainers.image.revision=${revision}" \
  --config.label org.opencontainers.image.licenses=NOASSERTION \
  --config.label "io.costguard.image.jre=openjdk-17-jre-headless ${jre} (Debian bookworm, mmdebstrap)"
umoci gc --layout "${layout}"

tar -C "${layout}" -cf "${OUT}/costguard-${VERSION}.oci.tar" .
manifest="$(jq -r --arg v "${VERSION}" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $v) | .digest' "${layout}/index.json")"
size="$(du -sb "${layout}/blobs" | cut -f1)"
log "image ${layout}:${VERSION}"
log "manifest digest ${manifest}"
log "compressed size ${size} bytes; tarball ${OUT}/costguard-${VERSION}.oci.tar"
