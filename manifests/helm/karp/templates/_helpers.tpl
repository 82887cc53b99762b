{{/* The release's full name, as Helm's own chart template makes it. */}}
{{- define "karp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The selector: never holds the version, since a DaemonSet's selector cannot change. */}}
{{- define "karp.selectorLabels" -}}
app.kubernetes.io/name: karp
app.kubernetes.io/instance: {{ include "karp.fullname" . }}
{{- end -}}

{{- define "karp.labels" -}}
{{ include "karp.selectorLabels" . }}
app.kubernetes.io/version: {{ include "karp.tag" . | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "karp.tag" -}}
{{- .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- end -}}

{{/* kube-karp's image runs ucarp, not karp: a kube-karp values file gets karp's image instead. */}}
{{- define "karp.image" -}}
{{- $repo := .Values.image.repository | default "docker.io/karpdev/karp" -}}
{{- if hasSuffix "immanuelfodor/kube-karp" $repo -}}
{{- $repo = "docker.io/karpdev/karp" -}}
{{- end -}}
{{- printf "%s:%s" $repo (include "karp.tag" .) -}}
{{- end -}}

{{- define "karp.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-password" (include "karp.fullname" .)) -}}
{{- end -}}

{{/* Values checked when installing or upgrading (helm lint renders without them). */}}
{{- define "karp.vip" -}}
{{- $ip := toString .Values.envVars.virtualIp -}}
{{- if and (not $ip) (or .Release.IsInstall .Release.IsUpgrade) -}}
{{- fail "envVars.virtualIp is required: the VIP, e.g. --set envVars.virtualIp=192.168.1.100" -}}
{{- end -}}
{{- if contains "/" $ip -}}{{ $ip }}{{- else -}}{{ printf "%s/%v" $ip .Values.envVars.subnet }}{{- end -}}
{{- end -}}
