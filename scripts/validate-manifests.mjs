#!/usr/bin/env node
// Validates rendered Kubernetes manifests (e.g. `helm template` output) against the OpenAPI schemas of
// Kubernetes v1.36 through the npm package kubernetes-models, plus the Prometheus Operator and
// cert-manager kinds through @kubernetes-models/prometheus-operator and @kubernetes-models/cert-manager.
//
//   helm template t helm/costguard --include-crds | node scripts/validate-manifests.mjs
//   node scripts/validate-manifests.mjs rendered.yaml [more.yaml ...]
//
// What the schemas check: types, enums, required fields and formats (a port given as a string, a
// missing container name, an unknown Service type). What they do not: unknown fields, because the
// Kubernetes OpenAPI definitions do not forbid additional properties (HelmChartIT checks those with
// fabric8's typed models; the API server's field validation does at apply time).
//
// Prints one line per document (ok / INVALID / SKIPPED with the reason) and exits 1 when any document
// is invalid, 3 when any kind has no schema here (unless --allow-skipped), 2 on unreadable input.
// The packages are installed by scripts/install-tools.sh into .tools/npm/node_modules;
// COSTGUARD_NODE_MODULES overrides that directory.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = process.env.COSTGUARD_NODE_MODULES ?? join(repo, ".tools", "npm", "node_modules");

// the package (under node_modules) holding the model of an API group
const PACKAGE_OF_GROUP = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "acme.cert-manager.io": "@kubernetes-models/cert-manager",
};

function fail(code, message) {
  process.stderr.write(`validate-manifests: ${message}\n`);
  process.exit(code);
}

const args = process.argv.slice(2);
const allowSkipped = args.includes("--allow-skipped");
const files = args.filter((a) => a !== "--allow-skipped");

let YAML;
try {
  YAML = createRequire(join(modules, "noop.js"))("yaml");
} catch (e) {
  fail(2, `the npm package yaml is not in ${modules}: run scripts/install-tools.sh (${e.message})`);
}

function readInput() {
  if (files.length === 0) {
    return [["<stdin>", readFileSync(0, "utf8")]];
  }
  return files.map((f) => {
    try {
      return [f, readFileSync(f, "utf8")];
    } catch (e) {
      return fail(2, `cannot read ${f}: ${e.message}`);
    }
  });
}

// the model class for apiVersion/kind, or a reason why there is none
async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) {
    return { reason: "no apiVersion or kind" };
  }
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const pkg = PACKAGE_OF_GROUP[group] ?? "kubernetes-models";
  const file = join(modules, pkg, ...(group ? [group] : []), version, `${kind}.js`);
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" && e.message.includes(file)) {
      return { reason: `no schema for ${apiVersion} ${kind} in ${pkg}` };
    }
    throw e;
  }
  const model = module[kind];
  return model ? { model } : { reason: `${pkg} exports no ${kind} for ${apiVersion}` };
}

let invalid = 0;
const skipped = new Set();
let checked = 0;
for (const [source, text] of readInput()) {
  const docs = YAML.parseAllDocuments(text);
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      fail(2, `${source}: not YAML: ${doc.errors[0].message}`);
    }
    const object = doc.toJS();
    if (object === null || typeof object !== "object") {
      continue;
    }
    const what = `${object.kind ?? "?"} ${object.metadata?.name ?? "?"} (${object.apiVersion ?? "?"}) from ${source}`;
    const { model, reason } = await modelFor(object.apiVersion, object.kind);
    if (!model) {
      skipped.add(`${object.apiVersion} ${object.kind}`);
      console.log(`SKIPPED  ${what}: ${reason}`);
      continue;
    }
    checked++;
    try {
      new model(object).validate();
      console.log(`ok       ${what}`);
    } catch (e) {
      invalid++;
      const errors = Array.isArray(e.errors)
        ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}${x.params?.allowedValues ? ` (${x.params.allowedValues.join(", ")})` : ""}`)
        : [e.message];
      console.log(`INVALID  ${what}:\n  ${errors.join("\n  ")}`);
    }
  }
}
console.log(`validated ${checked} objects: ${invalid} invalid, kinds without a schema: ${skipped.size === 0 ? "none" : [...skipped].join(", ")}`);
if (invalid > 0) {
  process.exit(1);
}
if (skipped.size > 0 && !allowSkipped) {
  process.exit(3);
}
