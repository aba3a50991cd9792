#!/usr/bin/env bash
# The runtime's actors or pubsub benchmark on a components profile: starts the profile's servers as
# ./run.sh --profile does (dapr/profile-servers.sh), with fresh data in a temporary folder, runs the
# benchmark with --components components/PROFILE, then stops the servers.
#   tests/Quoncept.Benchmarks/profile-bench.sh PROFILE actors|pubsub [benchmark flags...]
#   e.g. tests/Quoncept.Benchmarks/profile-bench.sh redis actors --seconds 10
#        tests/Quoncept.Benchmarks/profile-bench.sh nats pubsub --messages 50000
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
profile="$1"; bench="$2"; shift 2
data="$(mktemp -d)"; chmod 755 "$data"
source dapr/profile-servers.sh
trap 'profile_servers_stop; rm -rf "$data"' EXIT
profile_servers_start "$profile" "$data"
dotnet tests/Quoncept.Benchmarks/bin/Release/net10.0/Quoncept.Benchmarks.dll "$bench" --components "components/$profile" "$@"
