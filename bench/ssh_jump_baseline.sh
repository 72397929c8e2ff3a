#!/usr/bin/env bash
# OpenSSH baseline for the jump-host benchmark: runs `ssh -F DIR/ssh_config HOST true`
# (a fresh `ssh -J`-style connection through jump each time) N times inside the workstation
# namespace of the topology in DIR and prints the median wall time in ms on stdout.
#   bench/ssh_jump_baseline.sh DIR [N=200] [HOST=gpu] [-o KEY=VALUE]...
# -o options apply to every hop (ProxyJump's inner ssh gets only -F, so they go into a copy
# of the config): e.g. `-o KexAlgorithms=curve25519-sha256` matches libssh 0.10's key
# exchange; OpenSSH 9 defaults to sntrup761x25519, which costs more CPU per hop.
# DIR is a topology from `tests/sshd/topology up DIR`, or $RDT_TOPO_DIR under `topology run`.
set -euo pipefail

usage="usage: ssh_jump_baseline.sh DIR [N] [HOST] [-o KEY=VALUE]..."
dir="${1:?$usage}"
runs="${2:-200}"
host="${3:-gpu}"
shift $(($# < 3 ? $# : 3))
[[ -f "$dir/env" ]] || { echo "ssh_jump_baseline: no topology in '$dir'" >&2; exit 1; }
script="$(sed -n 's/^RDT_TOPO_SCRIPT=//p' "$dir/env")"

config="$dir/ssh_config"
if (($#)); then
    # First value wins in ssh_config, so the options go before the topology's own lines.
    config="$(mktemp "$dir/ssh_config.bench.XXXXXX")"
    trap 'rm -f "$config"' EXIT
    while (($#)); do
        [[ "$1" == -o && $# -ge 2 && "$2" == *=* ]] || { echo "$usage" >&2; exit 2; }
        echo "${2%%=*} ${2#*=}" >>"$config"
        shift 2
    done
    cat "$dir/ssh_config" >>"$config"
fi

# shellcheck disable=SC2016 # the loop is expanded by the inner bash
# The loop runs inside ws in one go, so `ip netns exec` is not part of the timings.
# One warm-up run first: it must succeed, and cold caches stay out of the numbers.
"$script" exec "$dir" bash -c '
    set -euo pipefail
    config="$1" runs="$2" host="$3"
    ssh -F "$config" "$host" true </dev/null
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N)
        ssh -F "$config" "$host" true </dev/null
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done' _ "$config" "$runs" "$host" |
    sort -n |
    awk -v host="$host" '
        { us[NR] = $1 }
        END {
            if (NR == 0) exit 1
            median = (NR % 2) ? us[(NR + 1) / 2] : (us[NR / 2] + us[NR / 2 + 1]) / 2
            printf "ssh %s true: %d runs, min %.1f ms, median %.1f ms, max %.1f ms\n",
                host, NR, us[1] / 1000, median / 1000, us[NR] / 1000 > "/dev/stderr"
            printf "%.1f\n", median / 1000
        }'
