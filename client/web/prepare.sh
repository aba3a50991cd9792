#!/usr/bin/env bash
# Makes the page servable, with no bundler and no build of its own: installs its npm packages
# (package-lock.json's versions, install scripts blocked) and generates the protobuf code from
# protos/ with protoc-gen-es into public/gen/ (plain ES modules; not committed: protos/ stays the
# only source). protoc is the one Grpc.Tools brings (restored by `dotnet build`), or $QUONCEPT_PROTOC.
# ./run.sh and ./test.sh run it; safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/protoc-gen-es ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
fi

version=$(sed -nE 's|.*Include="Grpc.Tools" Version="([^"]+)".*|\1|p' ../../Directory.Packages.props)
case "$(uname -m)" in aarch64|arm64) arch=linux_arm64 ;; *) arch=linux_x64 ;; esac
protoc="${QUONCEPT_PROTOC:-${NUGET_PACKAGES:-$HOME/.nuget/packages}/grpc.tools/$version/tools/$arch/protoc}"
[ -x "$protoc" ] || { echo "error: protoc not found at $protoc: build the solution once (dotnet build) or set QUONCEPT_PROTOC" >&2; exit 1; }

out=$(mktemp -d public/.gen-XXXXXX)
trap 'rm -rf "$out"' EXIT
"$protoc" -I ../../protos --plugin=protoc-gen-es=node_modules/.bin/protoc-gen-es \
  --es_out="$out" --es_opt=target=js,import_extension=js ../../protos/quoncept/v1/*.proto
rm -rf public/gen && mv "$out" public/gen && trap - EXIT
