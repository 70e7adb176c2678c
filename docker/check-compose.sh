#!/usr/bin/env bash
# Validates docker/compose.yml offline, with no Docker engine: the file must parse, interpolate
# against docker/tessera.env.example, and define the services the cluster needs.
# Run from anywhere; paths are resolved from the repository root.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

compose_file=docker/compose.yml
env_file=docker/tessera.env.example
expected_services=(zk1 zk2 zk3 mysql admin1 admin2 agent-cpu agent-gpu)

fail() {
    echo "check-compose: FAIL: $*" >&2
    exit 1
}

# `docker compose` (v2) needs the Docker CLI plugin, which this machine lacks; Debian's
# docker-compose (v1) validates the same file without an engine. --no-install-recommends matters:
# without it apt also pulls in docker.io, the engine.
if ! command -v docker-compose >/dev/null 2>&1; then
    echo "check-compose: installing docker-compose (validation only, no engine)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker-compose >/dev/null \
        || fail "could not install docker-compose with apt-get"
fi
echo "check-compose: $(docker-compose version --short 2>/dev/null || docker-compose --version)"

compose=(docker-compose -f "$compose_file" --env-file "$env_file")

# 1. Parse, merge anchors, interpolate variables, check the schema.
"${compose[@]}" config -q || fail "$compose_file is not a valid compose file (see the error above)"
echo "check-compose: $compose_file is valid against $env_file"

# 2. The services the cluster is made of.
services="$("${compose[@]}" config --services)" || fail "could not list the services of $compose_file"
missing=()
for service in "${expected_services[@]}"; do
    grep -qx -- "$service" <<<"$services" || missing+=("$service")
done
if ((${#missing[@]} > 0)); then
    fail "$compose_file lacks service(s): ${missing[*]} (has: $(tr '\n' ' ' <<<"$services"))"
fi
echo "check-compose: services present: ${expected_services[*]}"

# 3. Every variable the compose file interpolates is in the env example, so a copied env file
#    is complete (compose itself only catches the ${VAR:?} ones).
used_vars="$(grep -v '^[[:space:]]*#' "$compose_file" | grep -o '\${[A-Za-z_][A-Za-z0-9_]*' | cut -c3- | sort -u)"
for var in $used_vars; do
    grep -q "^${var}=" "$env_file" || fail "$compose_file uses \${$var} but $env_file does not define it"
done
echo "check-compose: every interpolated variable is defined in $env_file: $(tr '\n' ' ' <<<"$used_vars")"

# 4. A missing secret must stop compose rather than start a cluster with an empty one.
empty_env="$(mktemp)"
trap 'rm -f "$empty_env"' EXIT
grep -v '^TESSERA_CLUSTER_SECRET=' "$env_file" >"$empty_env"
if env -u TESSERA_CLUSTER_SECRET docker-compose -f "$compose_file" --env-file "$empty_env" config -q 2>/dev/null; then
    fail "$compose_file accepts a missing TESSERA_CLUSTER_SECRET; use \${TESSERA_CLUSTER_SECRET:?...}"
fi
echo "check-compose: a missing TESSERA_CLUSTER_SECRET is refused"

echo "check-compose: OK"
