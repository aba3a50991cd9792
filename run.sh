#!/usr/bin/env bash
# Builds and starts the whole system on embedded defaults (SQLite state, in-memory pub/sub)
# through the local Dapr runtime, and prints "gateway: http://127.0.0.1:N" (gRPC) and
# "web: http://127.0.0.1:N/" (the page, for a browser) once every service is ready. Ctrl-C stops everything.
#   ./run.sh [--gateway-port N] [--web-port N] [--profile redis|nats|postgres] [more flags for the local runtime]
# --profile NAME uses components/NAME/ and first starts the servers it needs (Debian packages) on
# free 127.0.0.1 ports, data under .data/profiles/NAME/ (see dapr/profile-servers.sh).
# Environment: QUONCEPT_RUN_FILE (default dapr/dapr.yaml), e.g. a copy with other settings.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

port=5080
profile=""
web_port=5088
runtime_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gateway-port) [ $# -ge 2 ] || { echo "error: --gateway-port needs a port number" >&2; exit 2; }; port="$2"; shift 2 ;;
    --gateway-port=*) port="${1#*=}"; shift ;;
    --web-port) [ $# -ge 2 ] || { echo "error: --web-port needs a port number" >&2; exit 2; }; web_port="$2"; shift 2 ;;
    --web-port=*) web_port="${1#*=}"; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --profile) [ $# -ge 2 ] || { echo "error: --profile needs a name (redis, nats, postgres)" >&2; exit 2; }; profile="$2"; shift 2 ;;
    --profile=*) profile="${1#*=}"; shift ;;
    *) runtime_args+=("$1"); shift ;;
  esac
done
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "error: --gateway-port must be a port number 1..65535, got '$port'" >&2; exit 2
fi
if [ -n "$profile" ] && { [ ! -d "components/$profile" ] || [[ "$profile" == *[/.]* ]]; }; then
  echo "error: no profile '$profile'; profiles: $(cd components && ls -d */ | tr -d / | tr '\n' ' ')" >&2; exit 2
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "error: port $port is already in use; choose another with --gateway-port N" >&2; exit 2
fi
if ! [[ "$web_port" =~ ^[0-9]+$ ]] || [ "$web_port" -lt 1 ] || [ "$web_port" -gt 65535 ] || [ "$web_port" = "$port" ]; then
  echo "error: --web-port must be a port number 1..65535 other than the gateway port, got '$web_port'" >&2; exit 2
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$web_port") 2>/dev/null; then
  echo "error: port $web_port is already in use; choose another with --web-port N" >&2; exit 2
fi

# The gateway's client port, and the token key the sessions app signs with and the gateway checks
# (a fresh random one per run unless you set it; tokens do not outlive the run then).
export Quoncept__Gateway__Port="$port"
# The gateway's port for browsers (WebSocket, gRPC-Web, the page in client/web).
export Quoncept__Gateway__WebPort="$web_port"
export Quoncept__Gateway__Browser__WebRoot="$PWD/client/web"
export Quoncept__Jwt__SigningKey="${Quoncept__Jwt__SigningKey:-$(head -c 48 /dev/urandom | base64 | tr -d '\n')}"

dotnet build Dapr.sln -c Release -v q -nologo
client/web/prepare.sh     # the page's npm packages and its protobuf code, generated from protos/

# A profile: its servers first (stopped again when this script ends), then its components.
source dapr/profile-servers.sh
trap profile_servers_stop EXIT
if [ -n "$profile" ]; then
  profile_servers_start "$profile" "$PWD/.data/profiles/$profile"
  runtime_args=(--resources-path "components/$profile" ${runtime_args[@]+"${runtime_args[@]}"})
fi

# The gateway's app port (where its readiness is served) as the run file gives it.
run_file="${QUONCEPT_RUN_FILE:-dapr/dapr.yaml}"
app_port=$(awk '/appID: gateway/{g=1} g && /appPort:/{print $2; exit}' "$run_file")
chatlog_port=$(awk '/appID: chatlog/{g=1} g && /appPort:/{print $2; exit}' "$run_file")
dotnet dapr/Quoncept.Sidecar/bin/Release/net10.0/Quoncept.Sidecar.dll run -f "$run_file" ${runtime_args[@]+"${runtime_args[@]}"} &
runtime=$!
# A background job of a script ignores SIGINT, so Ctrl-C reaches the runtime as SIGTERM from here.
trap 'kill -TERM "$runtime" 2>/dev/null || true; wait "$runtime" 2>/dev/null || true' INT TERM
ready=0
for _ in $(seq 1 240); do
  kill -0 "$runtime" 2>/dev/null || { echo "error: the local runtime exited before the services were ready" >&2; exit 1; }
  if curl -sf "http://127.0.0.1:${app_port}/healthz/ready" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
if [ "$ready" = 1 ]; then
  echo "gateway: http://127.0.0.1:$port"
  echo "web: http://127.0.0.1:$web_port/"
  [ -z "$chatlog_port" ] || echo "chatlog: http://127.0.0.1:$chatlog_port/chatlog (quoncept chatlog search | tail)"
else
  echo "error: the services were not ready after 120 s (see the log above)" >&2
fi
wait "$runtime"
