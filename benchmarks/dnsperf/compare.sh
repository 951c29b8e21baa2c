#!/usr/bin/env bash
# Side-by-side dnsperf runs: DnsMcs (examples/clusterset) against Knot DNS serving the same records
# (clusterset.local.zone, made from DnsMcs's own answers). Server pinned to CPU 0, dnsperf to CPU 1,
# -c 4 -q 200, RUNS x SECONDS each, alternating A/B; prints medians, the ratio, and server CPU per query
# (utime+stime from /proc/PID/stat over the run, divided by the queries answered).
# Without QPS the runs are unthrottled (peak throughput). With QPS, dnsperf sends at that fixed rate
# (-Q QPS) and reports every query's latency (-v): the script adds p50/p99/p99.9 over them. Usage:
#   [DNSMCS_ARGS="--metrics off"] benchmarks/dnsperf/compare.sh [udp|tcp] [RUNS] [SECONDS] [QPS]
#   benchmarks/dnsperf/compare.sh matrix [RUNS] [SECONDS]   # 1k and 20k qps over UDP and TCP
# DNSMCS_DLL=path/to/dnsmcs.dll measures that build (e.g. an older commit's) instead of building this tree.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
if [ "${1:-}" = matrix ]; then
    for rate in 1000 20000; do
        for transport in udp tcp; do "$0" "$transport" "${2:-3}" "${3:-10}" "$rate"; done
    done
    exit 0
fi
mode=${1:-udp}; runs=${2:-3}; seconds=${3:-10}; rate=${4:-}
case $mode in udp | tcp) ;; *) echo "mode must be udp, tcp or matrix, not '$mode'" >&2; exit 2 ;; esac
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v dnsperf >/dev/null && command -v knotd >/dev/null && command -v dig >/dev/null ||
    { echo "needs: apt-get install -y dnsperf knot bind9-dnsutils" >&2; exit 2; }
dll=${DNSMCS_DLL:-$root/src/DnsMcs/bin/Release/net10.0/dnsmcs.dll}
[ -n "${DNSMCS_DLL:-}" ] || dotnet build -c Release "$root/src/DnsMcs" -nologo -v q >/dev/null
hz=$(getconf CLK_TCK)
flags=(-c 4 -q 200); [ "$mode" = tcp ] && flags+=(-m tcp)
warmup=("${flags[@]}")
[ -n "$rate" ] && flags+=(-Q "$rate" -v)

# A port free for both UDP and TCP now (Knot needs one written into its configuration; DnsMcs picks its own).
free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 40000))
        ss -Hlnut "( sport = :$port )" | grep -q . || { echo "$port"; return; }
    done
    echo "no free port found" >&2; exit 1
}
knot_port=$(free_port)

mkdir -p "$work/knot"; cp "$here/clusterset.local.zone" "$work/knot/"
cat > "$work/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$knot_port
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

# A server that is not up says why (its log), rather than leaving awk to fail on a missing /proc/PID/stat.
server_died() {
    echo "$1 did not start or exited (a port taken?); its log:" >&2
    sed 's/^/  /' "$2" >&2
    exit 1
}

# Operations endpoints on port 0 unless DNSMCS_ARGS sets them: a busy :9153/:8080/:8181 (another server, another
# run) must not stop this one.
ops=()
for endpoint in metrics health ready; do
    [[ " ${DNSMCS_ARGS:-} " == *" --$endpoint "* ]] || ops+=("--$endpoint" 127.0.0.1:0)
done

start() {
    local log="$work/$1.log"
    case $1 in
        dnsmcs) taskset -c 0 dotnet "$dll" serve --listen 127.0.0.1:0 "${ops[@]}" --manifests "$root/examples/clusterset" \
            ${DNSMCS_ARGS:-} >"$log" 2>&1 & ;;
        knot) taskset -c 0 knotd -c "$work/knot/knot.conf" >"$log" 2>&1 & ;;
    esac
    pid=$!
    port=
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || server_died "$1" "$log"
        case $1 in
            dnsmcs) port=$(sed -n 's/.*Listening on 127\.0\.0\.1:\([0-9]*\):.*/\1/p' "$log" | head -1) ;;
            knot) port=$knot_port ;;
        esac
        [ -n "$port" ] && dig @127.0.0.1 -p "$port" +time=1 +tries=1 web.shop.svc.clusterset.local A 2>/dev/null | grep -q 'status: NOERROR' && break
        sleep 0.2
    done
    dig @127.0.0.1 -p "${port:-0}" +time=1 +tries=1 web.shop.svc.clusterset.local A 2>/dev/null | grep -q 'status: NOERROR' ||
        server_died "$1" "$log"
    # Warm up unthrottled (hot path to tier 1), then wait until the process is quiet: .NET keeps compiling its start-up
    # code in the background for seconds (more on a loaded machine), a one-off that would count against the first
    # fixed-rate run (3 s in a row at <= 1 % of a core). At most 30 s; Knot gets the same treatment.
    taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" "${warmup[@]}" -d "$here/mix.txt" -l 3 >/dev/null 2>&1 || true
    local last now quiet=0
    last=$(stat_ticks "$1")
    for _ in $(seq 30); do
        sleep 1
        now=$(stat_ticks "$1")
        if [ $((now - last)) -le $((hz / 100)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
        [ "$quiet" -ge 3 ] && break
        last=$now
    done
}

stat_ticks() { awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null || server_died "$1" "$work/$1.log"; }

measure() { # server -> "qps cpu_us_per_query [p50_ms p99_ms p99.9_ms]"
    start "$1"
    local before after out qps done_
    before=$(stat_ticks "$1")
    out=$(taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" "${flags[@]}" -d "$here/mix.txt" -l "$seconds" 2>&1)
    after=$(stat_ticks "$1")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    qps=$(awk '/Queries per second/ {print $4}' <<<"$out")
    done_=$(awk '/Queries completed/ {print $3}' <<<"$out")
    awk -v q="$qps" -v t=$((after - before)) -v n="$done_" -v hz="$hz" 'BEGIN { printf "%.0f %.2f", q, (t / hz) * 1e6 / n }'
    if [ -n "$rate" ]; then
        # dnsperf -v: "> NOERROR name type 0.000123", the last field the latency in seconds.
        awk '/^> / {print $NF * 1000}' <<<"$out" | sort -g |
            awk 'function at(p,  i) { i = int(NR * p) + 1; return a[i > NR ? NR : i] }
                 {a[NR]=$1} END { if (NR == 0) { print " - - -"; exit }; printf " %.3f %.3f %.3f", at(0.5), at(0.99), at(0.999) }'
    fi
    echo
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
label="$mode${rate:+ at $rate qps}"
columns="qps, cpu us/query${rate:+, p50/p99/p99.9 ms}"
: >"$work/dnsmcs.txt"; : >"$work/knot.txt"
echo "load: $(uptime)"
for i in $(seq "$runs"); do
    measure dnsmcs | tee -a "$work/dnsmcs.txt" | sed "s|^|run $i dnsmcs ($label): $columns: |"
    measure knot | tee -a "$work/knot.txt" | sed "s|^|run $i knot   ($label): $columns: |"
done
col() { cut -d' ' -f"$1" "$work/$2.txt" | median; }
d_qps=$(col 1 dnsmcs); k_qps=$(col 1 knot); d_cpu=$(col 2 dnsmcs); k_cpu=$(col 2 knot)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
if [ -z "$rate" ]; then
    echo "median $label: dnsmcs $d_qps qps ($d_cpu us/query), knot $k_qps qps ($k_cpu us/query), ratio dnsmcs/knot qps $(ratio "$d_qps" "$k_qps"), cpu $(ratio "$d_cpu" "$k_cpu")"
else
    echo "median $label: dnsmcs $d_qps qps, $d_cpu us/query, p50/p99/p99.9 $(col 3 dnsmcs)/$(col 4 dnsmcs)/$(col 5 dnsmcs) ms;" \
        "knot $k_qps qps, $k_cpu us/query, p50/p99/p99.9 $(col 3 knot)/$(col 4 knot)/$(col 5 knot) ms; cpu ratio dnsmcs/knot $(ratio "$d_cpu" "$k_cpu")"
fi
echo "load: $(uptime)"
