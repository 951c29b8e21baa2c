#!/usr/bin/env bash
# Side-by-side dnsperf runs: DnsMcs (examples/clusterset) against Knot DNS serving the same records
# (clusterset.local.zone, made from DnsMcs's own answers). Server pinned to CPU 0, dnsperf to CPU 1,
# unthrottled -c 4 -q 200, RUNS x SECONDS each, alternating A/B; prints medians, the ratio, and server
# CPU per query (utime+stime from /proc/PID/stat over the run). Usage:
#   [DNSMCS_ARGS="--metrics off"] benchmarks/dnsperf/compare.sh [udp|tcp] [RUNS] [SECONDS]
set -euo pipefail
mode=${1:-udp}; runs=${2:-3}; seconds=${3:-10}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v dnsperf >/dev/null && command -v knotd >/dev/null || { echo "needs: apt-get install -y dnsperf knot" >&2; exit 2; }
dotnet build -c Release "$root/src/DnsMcs" -nologo -v q >/dev/null
hz=$(getconf CLK_TCK)
flags=(); [ "$mode" = tcp ] && flags=(-m tcp)

mkdir -p "$work/knot"; cp "$here/clusterset.local.zone" "$work/knot/"
cat > "$work/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@5402
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
    rundir: "$work/knot"
database:
    storage: "$work/knot"
log:
  - target: stderr
    any: warning
zone:
  - domain: clusterset.local
    file: "$work/knot/clusterset.local.zone"
    journal-content: none
    zonefile-sync: -1
CONF

start() {
    case $1 in
        dnsmcs) taskset -c 0 dotnet "$root/src/DnsMcs/bin/Release/net10.0/dnsmcs.dll" serve --listen 127.0.0.1:5401 --manifests "$root/examples/clusterset" ${DNSMCS_ARGS:-} >"$work/dnsmcs.log" 2>&1 & port=5401 ;;
        knot) taskset -c 0 knotd -c "$work/knot/knot.conf" >"$work/knot.log" 2>&1 & port=5402 ;;
    esac
    pid=$!
    for _ in $(seq 50); do dig @127.0.0.1 -p "$port" +time=1 +tries=1 web.shop.svc.clusterset.local A >/dev/null 2>&1 && break; sleep 0.2; done
    # warm up (JIT) before measuring
    taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" "${flags[@]}" -d "$here/mix.txt" -l 2 -c 4 -q 200 >/dev/null 2>&1 || true
}

measure() { # server -> "qps cpu_us_per_query"
    start "$1"
    local before after out qps done_
    before=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" "${flags[@]}" -d "$here/mix.txt" -l "$seconds" -c 4 -q 200 2>&1)
    after=$(awk '{print $14+$15}' "/proc/$pid/stat")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    qps=$(awk '/Queries per second/ {print $4}' <<<"$out")
    done_=$(awk '/Queries completed/ {print $3}' <<<"$out")
    awk -v q="$qps" -v t=$((after - before)) -v n="$done_" -v hz="$hz" 'BEGIN { printf "%.0f %.2f\n", q, (t / hz) * 1e6 / n }'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$work/dnsmcs.txt"; : >"$work/knot.txt"
for i in $(seq "$runs"); do
    measure dnsmcs | tee -a "$work/dnsmcs.txt" | sed "s/^/run $i dnsmcs ($mode): qps, cpu us\/query: /"
    measure knot | tee -a "$work/knot.txt" | sed "s/^/run $i knot   ($mode): qps, cpu us\/query: /"
done
d_qps=$(cut -d' ' -f1 "$work/dnsmcs.txt" | median); k_qps=$(cut -d' ' -f1 "$work/knot.txt" | median)
d_cpu=$(cut -d' ' -f2 "$work/dnsmcs.txt" | median); k_cpu=$(cut -d' ' -f2 "$work/knot.txt" | median)
echo "median $mode: dnsmcs $d_qps qps ($d_cpu us/query), knot $k_qps qps ($k_cpu us/query), ratio dnsmcs/knot $(awk -v a="$d_qps" -v b="$k_qps" 'BEGIN{printf "%.2f", a/b}')"
