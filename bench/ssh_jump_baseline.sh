#!/usr/bin/env bash
# OpenSSH baseline for the jump-host benchmark: runs `ssh -F DIR/ssh_config HOST true`
# (a fresh `ssh -J`-style connection through jump each time) N times inside the workstation
# namespace of the topology in DIR and prints the median wall time in ms on stdout.
#   bench/ssh_jump_baseline.sh DIR [N=200] [HOST=gpu]
# DIR is a topology from `tests/sshd/topology up DIR`, or $RDT_TOPO_DIR under `topology run`.
set -euo pipefail

dir="${1:?usage: ssh_jump_baseline.sh DIR [N] [HOST]}"
runs="${2:-200}"
host="${3:-gpu}"
[[ -f "$dir/env" ]] || { echo "ssh_jump_baseline: no topology in '$dir'" >&2; exit 1; }
script="$(sed -n 's/^RDT_TOPO_SCRIPT=//p' "$dir/env")"

# shellcheck disable=SC2016 # the loop is expanded by the inner bash
# The loop runs inside ws in one go, so `ip netns exec` is not part of the timings.
# One warm-up run first: it must succeed, and page cache effects stay out of the numbers.
"$script" exec "$dir" bash -c '
    set -euo pipefail
    cfg="$1/ssh_config"; runs="$2"; host="$3"
    ssh -F "$cfg" "$host" true </dev/null
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N)
        ssh -F "$cfg" "$host" true </dev/null
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done' _ "$dir" "$runs" "$host" |
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
