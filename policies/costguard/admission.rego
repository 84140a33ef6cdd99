# The required-labels rule of costguard's admission webhook, in Rego, for clusters that run OPA and want
# one policy engine. Same rule as the built-in one (operator/.../admission/LabelRule.java), judged on the
# same fixtures (fixtures/labels/*.json, run by run-fixtures.sh).
#
# Input: the whole AdmissionReview, as costguard sends it (POST /v1/data/costguard/admission/deny with
# {"input": <AdmissionReview>}). Namespace labels come from data.kubernetes.namespaces (kube-mgmt's
# replication layout); settings from data.costguard.settings (optional).
package costguard.admission

import rego.v1

default_keys := ["tenant", "feature", "team", "environment"]

keys := object.get(data, ["costguard", "settings", "keys"], default_keys)

namespace_defaults := object.get(data, ["costguard", "settings", "namespaceDefaults"], true)

exempt_namespaces := object.get(data, ["costguard", "settings", "exemptNamespaces"], ["kube-system", "costguard-system"])

# kind (group/kind) → JSON path of the pod template ([] for a bare Pod)
template_paths := {
	"apps/Deployment": ["spec", "template"],
	"apps/StatefulSet": ["spec", "template"],
	"apps/DaemonSet": ["spec", "template"],
	"apps/ReplicaSet": ["spec", "template"],
	"batch/Job": ["spec", "template"],
	"batch/CronJob": ["spec", "jobTemplate", "spec", "template"],
	"/Pod": [],
	"argoproj.io/Rollout": ["spec", "template"],
}

req := input.request

kind_key := sprintf("%s/%s", [object.get(req.kind, "group", ""), req.kind.kind])

namespace_labels := object.get(data, ["kubernetes", "namespaces", req.namespace, "metadata", "labels"], {})

controlled if {
	some ref in object.get(req.object, ["metadata", "ownerReferences"], [])
	ref.controller == true
}

judged if {
	req.operation == "CREATE"
	template_paths[kind_key]
	not req.namespace in exempt_namespaces
	object.get(namespace_labels, "costguard.io/exempt", "") != "true"
	not controlled
}

# The places labels must be: metadata.labels, and the pod template's metadata.labels.
places contains ["metadata.labels", object.get(req.object, ["metadata", "labels"], {})] if judged

places contains [concat(".", array.concat(template_paths[kind_key], ["metadata", "labels"])), labels] if {
	judged
	count(template_paths[kind_key]) > 0
	labels := object.get(req.object, array.concat(template_paths[kind_key], ["metadata", "labels"]), {})
}

dns_label(v) if {
	is_string(v)
	count(v) <= 63
	regex.match(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, v)
}

problems contains sprintf("%s.%s is missing", [where, key]) if {
	some [where, labels] in places
	some key in keys
	not labels[key]
	not defaulted(key)
}

problems contains sprintf("%s.%s is %v, not a string: quote it", [where, key, labels[key]]) if {
	some [where, labels] in places
	some key in keys
	not is_string(labels[key])
}

problems contains sprintf("%s.%s '%s' is not a valid value (lower-case DNS label, at most 63 characters)", [where, key, labels[key]]) if {
	some [where, labels] in places
	some key in keys
	is_string(labels[key])
	not dns_label(labels[key])
}

deny contains msg if {
	count(problems) > 0
	msg := sprintf("%s %s lacks cost-allocation labels: %s", [req.kind.kind, req.object.metadata.name, concat("; ", sort(problems))])
}

defaulted(key) if {
	namespace_defaults
	namespace_labels[key]
}
