{{/*
Names. Every object of a component is called <release>-<component> (e.g. publicsafety-crisis-capacity), so two
releases can share a namespace and a component's DNS name is predictable for services__<name>__<endpoint>__0.
*/}}
{{- define "publicsafety.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* dict "root" $ "name" <component> */}}
{{- define "publicsafety.componentName" -}}
{{- printf "%s-%s" (include "publicsafety.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "publicsafety.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* dict "root" $ "name" <component>: the labels a component's pods are selected by. Never change them on upgrade. */}}
{{- define "publicsafety.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* dict "root" $ "name" <component> "c" <merged component> */}}
{{- define "publicsafety.labels" -}}
{{ include "publicsafety.selectorLabels" . }}
app.kubernetes.io/part-of: publicsafety
app.kubernetes.io/component: {{ .name }}
app.kubernetes.io/version: {{ include "publicsafety.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "publicsafety.chart" .root }}
{{- end -}}

{{/*
Deep merge that respects false, 0 and "" (sprig's merge/mergeOverwrite treat them as "unset"):
every key of .src replaces the one in .dst, maps are merged recursively, lists are replaced. Mutates .dst.
*/}}
{{- define "publicsafety.deepMerge" -}}
{{- $dst := .dst -}}
{{- range $key, $value := .src -}}
{{- if and (kindIs "map" $value) (kindIs "map" (index $dst $key)) -}}
{{- $_ := include "publicsafety.deepMerge" (dict "dst" (index $dst $key) "src" $value) -}}
{{- else -}}
{{- $_ := set $dst $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
dict "root" $ "name" <component>: the component's settings, componentDefaults overlaid with components.<name>,
as YAML (use with fromYaml). Adding a service to the chart is one entry under components.
*/}}
{{- define "publicsafety.component" -}}
{{- $raw := index .root.Values.components .name -}}
{{- if not (kindIs "map" $raw) -}}
{{- fail (printf "components.%s is not defined (referenced by a component's calls, or by ingress.component)" .name) -}}
{{- end -}}
{{- $c := deepCopy .root.Values.componentDefaults -}}
{{- $_ := include "publicsafety.deepMerge" (dict "dst" $c "src" (deepCopy $raw)) -}}
{{- toYaml $c -}}
{{- end -}}

{{/* dict "root" $ "name" <component> "c" <merged component>: a pinned tag, never latest. */}}
{{- define "publicsafety.imageTag" -}}
{{- $tag := toString (default .root.Chart.AppVersion .c.image.tag) -}}
{{- if or (eq $tag "latest") (eq $tag "") -}}
{{- fail (printf "components.%s.image.tag must be a pinned version, not %q" .name $tag) -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{/* dict "root" $ "name" <component> "c" <merged component> */}}
{{- define "publicsafety.image" -}}
{{- $registry := default .root.Values.global.imageRegistry .c.image.registry -}}
{{- $registry = required "global.imageRegistry is required: the registry the images were pushed to (e.g. registry.example.kz)" $registry -}}
{{- $repository := required (printf "components.%s.image.repository is required" .name) .c.image.repository -}}
{{- if .c.image.digest -}}
{{- printf "%s/%s:%s@%s" $registry $repository (include "publicsafety.imageTag" .) .c.image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" $registry $repository (include "publicsafety.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{- define "publicsafety.secretName" -}}
{{- default (printf "%s-connections" (include "publicsafety.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/*
dict "root" $ "name" <component> "c" <merged component>: the component's non-secret configuration, as environment
variables in the configuration names of DESIGN §2 (the same names Aspire injects). Secrets never go here: connection
strings and secretEnv come from the Secret (deployment.yaml).
*/}}
{{- define "publicsafety.configData" -}}
{{- $root := .root -}}
{{- $c := .c -}}
ASPNETCORE_ENVIRONMENT: {{ default "Production" $root.Values.global.environment | quote }}
Kestrel__Endpoints__http__Url: "http://+:{{ $c.ports.http }}"
{{- if $c.grpc.enabled }}
Kestrel__Endpoints__grpc__Url: "http://+:{{ $c.ports.grpc }}"
Kestrel__Endpoints__grpc__Protocols: "Http2"
{{- end }}
shutdownTimeoutSeconds: {{ sub (sub $c.terminationGracePeriodSeconds $c.preStopSleepSeconds) 5 | quote }}
OTEL_SERVICE_NAME: {{ .name | quote }}
OTEL_RESOURCE_ATTRIBUTES: "service.namespace=publicsafety,service.version={{ include "publicsafety.imageTag" . }}"
{{- with $root.Values.otlp.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
OTEL_EXPORTER_OTLP_PROTOCOL: {{ default "grpc" $root.Values.otlp.protocol | quote }}
{{- end }}
Keycloak__Authority: {{ required "keycloak.authority is required: the realm URL, e.g. https://sso.example.kz/realms/public-safety" $root.Values.keycloak.authority | quote }}
Keycloak__Audience: {{ required "keycloak.audience is required" $root.Values.keycloak.audience | quote }}
Keycloak__RequireHttpsMetadata: {{ $root.Values.keycloak.requireHttpsMetadata | toString | quote }}
{{- range $callee := $c.calls }}
{{- $target := include "publicsafety.component" (dict "root" $root "name" $callee) | fromYaml }}
{{- $host := include "publicsafety.componentName" (dict "root" $root "name" $callee) }}
services__{{ $callee }}__http__0: "http://{{ $host }}:{{ $target.ports.http }}"
{{- if $target.grpc.enabled }}
services__{{ $callee }}__grpc__0: "http://{{ $host }}:{{ $target.ports.grpc }}"
{{- end }}
{{- end }}
{{- if and (eq .name "feedback") $root.Values.ingress.enabled }}
{{- /* The link the survey invitation (SMS) carries: the citizens' page as the public reaches it through the ingress. */}}
Feedback__SurveyPageUrl: {{ printf "https://%s/citizen/survey" $root.Values.ingress.host | quote }}
{{- end }}
{{- $env := deepCopy (default (dict) $root.Values.global.env) }}
{{- $_ := include "publicsafety.deepMerge" (dict "dst" $env "src" (default (dict) $c.env)) }}
{{- range $key, $value := $env }}
{{- if or (hasPrefix "ConnectionStrings__" $key) (regexMatch "(?i)(password|secret|token)" $key) }}
{{- fail (printf "components.%s.env.%s looks like a secret: put it in the Secret and reference it from secretEnv" $.name $key) }}
{{- end }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}
