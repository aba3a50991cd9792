#!/usr/bin/env bash
# Builds and starts the whole system on embedded defaults (SQLite state, in-memory pub/sub)
# through the local Dapr runtime. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Dapr.sln -c Release -v q -nologo
exec dotnet dapr/Quoncept.Sidecar/bin/Release/net10.0/Quoncept.Sidecar.dll run -f dapr/dapr.yaml "$@"
