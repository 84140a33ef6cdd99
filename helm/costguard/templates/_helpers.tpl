{{/*
Chart name, truncated to 63 characters (the DNS label limit).
*/}}
{{- define "costguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: <release>-<chart>, or the release name when it already contains the
chart name. Truncated to 63 characters.
*/}}
{{- define "costguard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "costguard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "costguard.labels" -}}
helm.sh/chart: {{ include "costguard.chart" . }}
{{ include "costguard.selectorLabels" . }}
app.kubernetes.io/version: {{ (.Values.image.tag | default .Chart.AppVersion) | trunc 63 | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: costguard
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels (immutable on the Deployment: do not add to them).
*/}}
{{- define "costguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "costguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount to use.
*/}}
{{- define "costguard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "costguard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image reference: repository@digest when a digest is set, else repository:tag (tag
defaulting to the chart's appVersion).
*/}}
{{- define "costguard.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
The operator's configuration file (config.yaml), validated for the settings the operator cannot
start without.
*/}}
{{- define "costguard.configFile" -}}
{{- $prom := required "config.prometheus is required" .Values.config.prometheus }}
{{- $_ := required "config.prometheus.url is required (the Prometheus HTTP API base URL)" $prom.url }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.config.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs config.leaderElection.enabled=true, or the replicas reconcile the same resources at once" }}
{{- end }}
{{- toYaml .Values.config }}
{{- end }}

{{/* The Secret holding the webhook's serving certificate (tls.crt, tls.key, ca.crt). */}}
{{- define "costguard.webhookSecret" -}}
{{- if and (eq .Values.webhook.certificates.mode "secret") .Values.webhook.certificates.secretName -}}
{{- .Values.webhook.certificates.secretName -}}
{{- else -}}
{{- include "costguard.fullname" . }}-webhook-tls
{{- end -}}
{{- end }}
