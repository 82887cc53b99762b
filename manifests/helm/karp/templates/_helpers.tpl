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

{{/* Values checked when installing or upgrading (helm lint renders without them). The first VIP, for NOTES. */}}
{{- define "karp.vip" -}}
{{- $vips := include "karp.vips" . -}}
{{- if and (not $vips) (not .Values.groups) (or .Release.IsInstall .Release.IsUpgrade) -}}
{{- fail "envVars.virtualIp is required: the VIP, e.g. --set envVars.virtualIp=192.168.1.100 (or a list, or groups)" -}}
{{- end -}}
{{- if .Values.groups -}}
{{- $g := first .Values.groups -}}
{{- $v := kindIs "slice" $g.vip | ternary $g.vip (list $g.vip) -}}
{{- toString (first $v) -}}
{{- else -}}
{{- first (splitList "\n" $vips) -}}
{{- end -}}
{{- end -}}

{{/* The VIPs of the single group, one per line, each with its prefix. envVars.virtualIp is one address
     (kube-karp's) or a list; an IPv4 address without /prefix gets envVars.subnet, an IPv6 one must have its own. */}}
{{- define "karp.vips" -}}
{{- $v := .Values.envVars.virtualIp -}}
{{- $in := list -}}
{{- if kindIs "slice" $v -}}{{- $in = $v -}}{{- else if $v -}}{{- $in = list $v -}}{{- end -}}
{{- $out := list -}}
{{- range $in -}}
{{- $ip := toString . | trim -}}
{{- if contains "/" $ip -}}
{{- $out = append $out $ip -}}
{{- else if contains ":" $ip -}}
{{- fail (printf "envVars.virtualIp %s is IPv6 and has no prefix: write it as %s/64 (or the prefix of the node network); envVars.subnet is for IPv4" $ip $ip) -}}
{{- else if $ip -}}
{{- $out = append $out (printf "%s/%v" $ip $.Values.envVars.subnet) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* The unicast peers, one per line: peers is a list or one comma-separated string. */}}
{{- define "karp.peers" -}}
{{- $p := .Values.peers -}}
{{- if kindIs "string" $p -}}{{- $p = splitList "," $p -}}{{- end -}}
{{- $out := list -}}
{{- range $p -}}
{{- if toString . | trim -}}{{- $out = append $out (toString . | trim) -}}{{- end -}}
{{- end -}}
{{- if eq (len $out) 1 -}}
{{- fail (printf "peers has only %s: give the address of every node that runs karp (at least two), the same list for all" (first $out)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* advbase and advskew, after the profile: "fast" replaces both. */}}
{{- define "karp.advbase" -}}
{{- if eq (toString .Values.profile) "fast" -}}0
{{- else if .Values.profile -}}{{- fail (printf "profile %v is not known (expected: fast, or empty)" .Values.profile) -}}
{{- else -}}{{ .Values.advbase }}{{- end -}}
{{- end -}}
{{- define "karp.advskew" -}}
{{- if eq (toString .Values.profile) "fast" -}}13{{- else -}}{{ .Values.advskew }}{{- end -}}
{{- end -}}

{{/* karp run --auth, lower-cased; empty when the value is empty (none rendered: karp run's default, ucarp).
     karp run refuses --auth twice, so an --auth among the extra flags beside this value is refused as well. */}}
{{- define "karp.auth" -}}
{{- $a := "" -}}
{{- if not (kindIs "invalid" .Values.auth) -}}{{- $a = lower (trim (toString .Values.auth)) -}}{{- end -}}
{{- if $a -}}
{{- if not (has $a (list "ucarp" "migrate" "strict")) -}}
{{- fail (printf "auth %v is not known (expected: ucarp, migrate or strict, or empty)" .Values.auth) -}}
{{- end -}}
{{- range (concat (splitList " " (toString .Values.envVars.extraFlags)) (.Values.extraArgs | default list)) -}}
{{- if or (eq (toString .) "--auth") (hasPrefix "--auth=" (toString .)) -}}
{{- fail (printf "--auth %s and the extra argument %s are both given (karp run refuses --auth twice); drop the extra argument (--extra-arg, extraArgs or envVars.extraFlags) and give the mode with --auth only (chart value auth)" $a (toString .)) -}}
{{- end -}}
{{- end -}}
{{- $a -}}
{{- end -}}
{{- end -}}

{{/* "yes" when some group advertises at advbase 0: karp run then wants SYS_NICE for real-time priority. */}}
{{- define "karp.sysNice" -}}
{{- $top := include "karp.advbase" . | int -}}
{{- if .Values.groups -}}
{{- range .Values.groups -}}
{{- if eq (ternary (int .advbase) $top (hasKey . "advbase")) 0 -}}yes{{- end -}}
{{- end -}}
{{- else if eq $top 0 -}}yes
{{- end -}}
{{- end -}}

{{/* Checks groups as karp render-manifest does: known keys, a vhid and VIPs with prefixes in each, no vhid and
     no VIP in two groups. */}}
{{- define "karp.checkGroups" -}}
{{- if and .Values.groups (include "karp.vips" .) -}}
{{- fail "envVars.virtualIp and groups are both set; give every VIP in its group" -}}
{{- end -}}
{{- $vhids := dict -}}
{{- $seen := dict -}}
{{- range $i, $g := .Values.groups -}}
{{- range $k, $_ := $g -}}
{{- if not (has $k (list "vhid" "vip" "advbase" "advskew" "preempt" "interface")) -}}
{{- fail (printf "groups[%d]: unknown key '%s' (expected: vhid, vip, advbase, advskew, preempt, interface)" $i $k) -}}
{{- end -}}
{{- end -}}
{{- if not $g.vhid -}}{{- fail (printf "groups[%d] has no vhid (expected: 1..255, its own in every group)" $i) -}}{{- end -}}
{{- if not $g.vip -}}{{- fail (printf "groups[%d] has no vip (expected: ADDRESS/PREFIX, one or a list)" $i) -}}{{- end -}}
{{- $id := toString (int $g.vhid) -}}
{{- if hasKey $vhids $id -}}
{{- fail (printf "vhid %s is in two groups; every group needs its own vhid" $id) -}}
{{- end -}}
{{- $_ := set $vhids $id true -}}
{{- range (kindIs "slice" $g.vip | ternary $g.vip (list $g.vip)) -}}
{{- $cidr := toString . | trim -}}
{{- if not (contains "/" $cidr) -}}
{{- fail (printf "groups[%d]: vip %s has no prefix length (expected: CIDR such as %s/24)" $i $cidr $cidr) -}}
{{- end -}}
{{- $a := lower (first (splitList "/" $cidr)) -}}
{{- if hasKey $seen $a -}}
{{- fail (printf "VIP %s is in the groups with vhid %s and %s; an address belongs to one group only" $a (get $seen $a) $id) -}}
{{- end -}}
{{- $_ := set $seen $a $id -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* karp run's config file for the groups, byte for byte what karp render-manifest writes (the pod's config
     hash must match too): the settings every group shares, then each group with only what it sets itself. */}}
{{- define "karp.config" -}}
# karp run --config: settings for every group, then the groups
password-file: "/etc/karp/password"
{{- with .Values.envVars.interface }}
interface: {{ toString . | quote }}
{{- end }}
advbase: {{ include "karp.advbase" . }}
advskew: {{ include "karp.advskew" . }}
{{- if .Values.preempt }}
preempt: true
{{- end }}
groups:
{{- range .Values.groups }}
  - vhid: {{ int .vhid }}
    vip:
    {{- range (kindIs "slice" .vip | ternary .vip (list .vip)) }}
      - {{ toString . | trim | quote }}
    {{- end }}
    {{- if hasKey . "advbase" }}
    advbase: {{ int .advbase }}
    {{- end }}
    {{- if hasKey . "advskew" }}
    advskew: {{ int .advskew }}
    {{- end }}
    {{- if hasKey . "preempt" }}
    preempt: {{ .preempt }}
    {{- end }}
    {{- if hasKey . "interface" }}
    interface: {{ toString .interface | quote }}
    {{- end }}
{{- end }}
{{ end -}}
