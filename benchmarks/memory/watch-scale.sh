#!/usr/bin/env bash
# The watch-path memory/scale benchmark: a real `dnsmcs serve --kubeconfig` against the fake API server, which
# runs in ANOTHER process (benchmarks/DnsMcs.FakeApiServer), so its memory is not counted.
# For each size: RSS after sync (VmRSS, VmHWM, process_resident_memory_bytes, and dotnet_gc_heap_size_bytes: how
# much of it is the managed heap), then UPDATES sequential EndpointSlice
# updates timed from the API server's acknowledgement to the first DNS answer that shows them (p50/p99), with
# dnsmcs's own share (dnsmcs_programming_duration_seconds: from the event's bytes arriving to the answer being
# servable, counted per bucket) and its garbage collections meanwhile.
#
#   benchmarks/memory/watch-scale.sh [SERVICES...]          default: 0 1000 10000 100000 (10 endpoints each)
#   UPDATES=200 PER_SERVICE=10 DNSMCS_ENV="DOTNET_GCgen0size=0x400000" benchmarks/memory/watch-scale.sh 10000
#   DNSMCS=src/DnsMcs/bin/Release/net10.0/dnsmcs.dll benchmarks/memory/watch-scale.sh 10000   (the JIT build)
# Sizes 0 gives the runtime's own baseline. 100000 services (1M endpoints) needs about 8 GiB for the fake.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
updates="${UPDATES:-200}"
per_service="${PER_SERVICE:-10}"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(0 1000 10000 100000)

# What ships is the native AOT executable: measure that (DNSMCS=path/to/dnsmcs.dll measures the JIT build instead).
dnsmcs="${DNSMCS:-}"
if [[ -z $dnsmcs ]]; then
  dotnet publish -c Release "$root/src/DnsMcs/DnsMcs.csproj" -o "$root/artifacts/aot" -v q -nologo >/dev/null
  dnsmcs="$root/artifacts/aot/dnsmcs"
fi
dotnet build -c Release "$root/benchmarks/DnsMcs.FakeApiServer/DnsMcs.FakeApiServer.csproj" -v q -nologo >/dev/null
fake="$root/benchmarks/DnsMcs.FakeApiServer/bin/Release/net10.0/DnsMcs.FakeApiServer.dll"
env_args=()
for variable in ${DNSMCS_ENV:-}; do env_args+=(--env "$variable"); done

echo "| services | endpoints | ready s | dnsmcs CPU s to ready | VmRSS MiB | GC heap MiB | VmHWM MiB | RSS after updates MiB | update p50 ms | p99 ms | max ms | dnsmcs programmed within 0.25/0.5/1/2.5/5/10 ms | GCs 0/1/2 during updates |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for services in "${sizes[@]}"; do
  line="$(dotnet "$fake" --dnsmcs "$dnsmcs" --services "$services" --endpoints-per-service "$per_service" --updates "$updates" "${env_args[@]}" | tail -1)"
  get() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$line"; }
  echo "| $(get services) | $(get endpoints) | $(get ready_s) | $(get ready_cpu_s) | $(get rss_mib) | $(get gc_heap_mib) | $(get hwm_mib) | $(get rss_after_updates_mib) | $(get update_p50_ms) | $(get update_p99_ms) | $(get update_max_ms) | $(get programmed_within_ms) | $(get gcs_during_updates) |"
done
