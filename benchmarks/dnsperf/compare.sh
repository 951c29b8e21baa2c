#!/usr/bin/env bash
# Side-by-side dnsperf runs: DnsMcs (examples/clusterset) against Knot DNS serving the same records
# (clusterset.local.zone, made from DnsMcs's own answers). Both servers pinned to CPU 0, dnsperf to CPU 1,
# -c 4 -q 200. Each server is started once and warmed up; then RUNS x SECONDS per case, alternating DnsMcs and
# Knot, medians and the ratio. Server CPU per query is utime+stime from /proc/PID/stat over the run, divided by
# the queries answered. Without QPS a run is unthrottled (peak throughput); with QPS dnsperf sends at that fixed
# rate (-Q QPS) and reports every query's latency (-v): the script adds p50/p99/p99.9 over them. Usage:
#   [DNSMCS_ARGS="--metrics off"] benchmarks/dnsperf/compare.sh [udp|tcp] [RUNS] [SECONDS] [QPS]
#   benchmarks/dnsperf/compare.sh matrix [RUNS] [SECONDS] [IDLE_SECONDS]
# matrix: 1k and 20k qps over UDP and TCP, unthrottled UDP and TCP (SATURATED=0 skips those), then both servers
# idle for IDLE_SECONDS (default 30; server CPU per second of idling), printed as one markdown table.
# The floor (floor.c, built with cc; FLOOR=0 leaves it out) runs beside them, on the same CPU: a responder that looks
# nothing up and turns each query into its reply, one read and one write. At a fixed rate its CPU per query and its
# latencies are what the kernel, the loopback and the machine cost, whatever the server; unthrottled, servers that
# read and send more per call can go below it.
# DNSMCS_DLL=path/to/dnsmcs.dll (the JIT build, run with dotnet) or DNSMCS_DLL=path/to/dnsmcs (a native AOT executable,
# e.g. an older commit's) measures that build instead of publishing this tree's native AOT executable.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
mode=${1:-udp}
case $mode in
    udp | tcp) runs=${2:-3}; seconds=${3:-10}; cases=("$mode ${4:-0}"); idle=0 ;;
    matrix)
        runs=${2:-3}; seconds=${3:-10}; idle=${4:-30}
        cases=("udp 1000" "udp 20000" "tcp 1000" "tcp 20000")
        [ "${SATURATED:-1}" = 0 ] || cases+=("udp 0" "tcp 0") ;;
    *) echo "mode must be udp, tcp or matrix, not '$mode'" >&2; exit 2 ;;
esac
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null; rm -rf "$work"' EXIT
command -v dnsperf >/dev/null && command -v knotd >/dev/null && command -v dig >/dev/null ||
    { echo "needs: apt-get install -y dnsperf knot bind9-dnsutils" >&2; exit 2; }
# By default the native AOT executable, what the image ships (published to artifacts/aot).
dll=${DNSMCS_DLL:-$root/artifacts/aot/dnsmcs}
[ -n "${DNSMCS_DLL:-}" ] || dotnet publish -c Release "$root/src/DnsMcs" -o "$root/artifacts/aot" -nologo -v q >/dev/null
launch=("$dll"); [[ $dll == *.dll ]] && launch=(dotnet "$dll")
hz=$(getconf CLK_TCK)

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
servers=(dnsmcs knot)
if [ "${FLOOR:-1}" != 0 ]; then
    command -v cc >/dev/null || { echo "the floor needs a C compiler (apt-get install -y gcc), or FLOOR=0" >&2; exit 2; }
    cc -O2 -o "$work/floor" "$here/floor.c"
    floor_port=$(free_port)
    servers+=(floor)
fi

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
    sed 's/^/  /' "$work/$1.log" >&2
    exit 1
}

# Operations endpoints on port 0 unless DNSMCS_ARGS sets them: a busy :9153/:8080/:8181 (another server, another
# run) must not stop this one.
ops=()
for endpoint in metrics health ready; do
    [[ " ${DNSMCS_ARGS:-} " == *" --$endpoint "* ]] || ops+=("--$endpoint" 127.0.0.1:0)
done

declare -A pids ports
stat_ticks() { awk '{print $14+$15}' "/proc/${pids[$1]}/stat" 2>/dev/null || server_died "$1"; }
answers() { dig @127.0.0.1 -p "${ports[$1]:-0}" +time=1 +tries=1 web.shop.svc.clusterset.local A 2>/dev/null | grep -q 'status: NOERROR'; }
perf_run() { # server, transport, rate (0 = unthrottled), seconds -> dnsperf's output
    local flags=(-c 4 -q 200)
    [ "$2" = tcp ] && flags+=(-m tcp)
    [ "$3" != 0 ] && flags+=(-Q "$3" -v)
    taskset -c 1 dnsperf -s 127.0.0.1 -p "${ports[$1]}" "${flags[@]}" -d "$here/mix.txt" -l "$4" 2>&1
}

# Until the process has used at most 1 % of a core for 3 s in a row, at most 30 s.
wait_quiet() {
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

start() {
    local log="$work/$1.log"
    case $1 in
        dnsmcs) taskset -c 0 "${launch[@]}" serve --listen 127.0.0.1:0 "${ops[@]}" --manifests "$root/examples/clusterset" \
            ${DNSMCS_ARGS:-} >"$log" 2>&1 & ;;
        knot) taskset -c 0 knotd -c "$work/knot/knot.conf" >"$log" 2>&1 & ;;
        floor) taskset -c 0 "$work/floor" "$floor_port" >"$log" 2>&1 & ;;
    esac
    pids[$1]=$!
    for _ in $(seq 100); do
        kill -0 "${pids[$1]}" 2>/dev/null || server_died "$1"
        case $1 in
            dnsmcs) ports[$1]=$(sed -n 's/.*Listening on 127\.0\.0\.1:\([0-9]*\):.*/\1/p' "$log" | head -1) ;;
            knot) ports[$1]=$knot_port ;;
            floor) ports[$1]=$floor_port ;;
        esac
        [ -n "${ports[$1]}" ] && answers "$1" && break
        sleep 0.2
    done
    answers "$1" || server_died "$1"
    # Warm up: unthrottled over both transports (hot path to tier 1), then each fixed rate of the runs briefly,
    # then wait until the process is quiet: .NET keeps compiling in the background for seconds after start-up (more on
    # a loaded machine), a one-off that would count against the first run. Knot gets the same treatment.
    perf_run "$1" udp 0 3 >/dev/null || true
    perf_run "$1" tcp 0 3 >/dev/null || true
    local c
    for c in "${cases[@]}"; do
        set -- "$1" $c
        [ "$3" = 0 ] || perf_run "$1" "$2" "$3" 2 >/dev/null || true
    done
    wait_quiet "$1"
}

measure() { # server, transport, rate -> "qps cpu_us_per_query [p50_ms p99_ms p99.9_ms]"
    local before after out qps done_
    before=$(stat_ticks "$1")
    out=$(perf_run "$1" "$2" "$3" "$seconds")
    after=$(stat_ticks "$1")
    qps=$(awk '/Queries per second/ {print $4}' <<<"$out")
    done_=$(awk '/Queries completed/ {print $3}' <<<"$out")
    awk -v q="$qps" -v t=$((after - before)) -v n="$done_" -v hz="$hz" 'BEGIN { printf "%.0f %.2f", q, (n > 0 ? (t / hz) * 1e6 / n : 0) }'
    if [ "$3" != 0 ]; then
        # dnsperf -v: "> NOERROR name type 0.000123", the last field the latency in seconds.
        awk '/^> / {print $NF * 1000}' <<<"$out" | sort -g |
            awk 'function at(p,  i) { i = int(NR * p) + 1; return a[i > NR ? NR : i] }
                 {a[NR]=$1} END { if (NR == 0) { print " - - -"; exit }; printf " %.3f %.3f %.3f", at(0.5), at(0.99), at(0.999) }'
    fi
    echo
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
col() { cut -d' ' -f"$1" "$2" | median; }
label() { if [ "$2" = 0 ]; then echo "$1 unthrottled"; else echo "$1 at $2 qps"; fi; }

echo "load before: $(uptime)"
for server in "${servers[@]}"; do start "$server"; done
for c in "${cases[@]}"; do
    set -- $c
    key="$1-$2"
    for server in "${servers[@]}"; do : >"$work/$server-$key.txt"; done
    columns="qps, cpu us/query"; [ "$2" = 0 ] || columns+=", p50/p99/p99.9 ms"
    for i in $(seq "$runs"); do
        for server in "${servers[@]}"; do
            measure "$server" "$1" "$2" | tee -a "$work/$server-$key.txt" |
                sed "s|^|run $i $(printf '%-6s' "$server") ($(label "$1" "$2")): $columns: |"
        done
    done
done

# Idle: both servers up, no queries; server CPU per second of wall time, in microseconds (1000 = 0.1 % of a core),
# from every thread's run time in nanoseconds (/proc/PID/task/*/schedstat): clock ticks are 10 ms, too coarse here.
cpu_ns() { cat /proc/"${pids[$1]}"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'; }
if [ "$idle" -gt 0 ]; then
    declare -A idle_before
    for server in dnsmcs knot; do idle_before[$server]=$(cpu_ns "$server"); done
    sleep "$idle"
    for server in dnsmcs knot; do
        awk -v t=$(($(cpu_ns "$server") - ${idle_before[$server]})) -v s="$idle" \
            'BEGIN { printf "%.0f\n", t / 1000 / s }' >"$work/$server-idle.txt"
        echo "idle $(printf '%-6s' "$server") ($idle s): cpu us per second: $(cat "$work/$server-idle.txt")"
    done
fi
echo "load after: $(uptime)"

# One table for all cases: medians over the runs, DnsMcs and Knot side by side.
echo
floor_head=; floor_rule=
[ -n "${floor_port:-}" ] && floor_head=" floor CPU/query | floor p50/p99/p99.9 ms |" && floor_rule="---|---|"
echo "| case ($runs x $seconds s, median) | DnsMcs CPU/query | Knot CPU/query | CPU ratio | DnsMcs qps | Knot qps | DnsMcs p50/p99/p99.9 ms | Knot p50/p99/p99.9 ms |$floor_head"
echo "|---|---|---|---|---|---|---|---|$floor_rule"
latencies() { if [ "$2" = 0 ]; then echo -; else echo "$(col 3 "$1")/$(col 4 "$1")/$(col 5 "$1")"; fi; }
for c in "${cases[@]}"; do
    set -- $c
    d="$work/dnsmcs-$1-$2.txt"; k="$work/knot-$1-$2.txt"
    dc=$(col 2 "$d"); kc=$(col 2 "$k")
    floor_cells=
    if [ -n "${floor_port:-}" ]; then
        f="$work/floor-$1-$2.txt"
        if [ "$2" = 0 ]; then floor_cells=" $(col 2 "$f") µs ($(col 1 "$f") qps) | - |"; else floor_cells=" $(col 2 "$f") µs | $(latencies "$f" "$2") |"; fi
    fi
    echo "| $(label "$1" "$2") | $dc µs | $kc µs | $(ratio "$dc" "$kc") | $(col 1 "$d") | $(col 1 "$k") | $(latencies "$d" "$2") | $(latencies "$k" "$2") |$floor_cells"
done
if [ "$idle" -gt 0 ]; then
    di=$(cat "$work/dnsmcs-idle.txt"); ki=$(cat "$work/knot-idle.txt")
    echo "| idle $idle s: CPU per second | $di µs | $ki µs | $(ratio "$di" "$ki") | | | | |"
fi
exit 0
