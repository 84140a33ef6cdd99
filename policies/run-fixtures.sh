#!/usr/bin/env bash
# Judges every fixture in fixtures/labels with the Rego policy (needs the opa binary on PATH) and compares
# the decision with the fixture's "expect.allowed": the same files the operator's built-in engine is tested on
# (LabelRuleFixturesTest, AdmissionFixturesTest).
# Only CREATE is modelled in Rego; UPDATE fixtures (the legacy-object allowance) are judged by the built-in rule alone.
set -euo pipefail
cd "$(dirname "$0")"
command -v opa >/dev/null || { echo "opa is not on PATH (https://www.openpolicyagent.org/docs/latest/#running-opa)" >&2; exit 2; }
failed=0
for f in fixtures/labels/*.json; do
  op=$(jq -r .request.operation "$f")
  [ "$op" = CREATE ] || continue
  ns=$(jq -r .request.namespace "$f")
  jq '{apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: .request}' "$f" > /tmp/costguard-input.json
  jq --arg ns "$ns" '{kubernetes: {namespaces: {($ns): {metadata: {labels: (.namespaceLabels // {})}}}}}' "$f" > /tmp/costguard-data.json
  denials=$(opa eval -f raw -d costguard/admission.rego -d /tmp/costguard-data.json -i /tmp/costguard-input.json 'count(data.costguard.admission.deny)')
  allowed=$([ "$denials" = 0 ] && echo true || echo false)
  expected=$(jq -r .expect.allowed "$f")
  if [ "$allowed" != "$expected" ]; then echo "FAIL $f: allowed=$allowed, expected $expected"; failed=1; else echo "ok   $f"; fi
done
exit $failed
