#!/usr/bin/env bash
# bench-investigate.sh: how fa2 investigate compares with the seven read
# tools it replaces, on the scaled benchmark incident (issue 9's measure).
#
#   scripts/bench-investigate.sh [SCALE ...]     default: 1 10
#
# For each scale it writes the benchmark snapshot (scale 1: ~26k log lines,
# ~23k requests, ~4k traces, ~2k CloudTrail events), then times with GNU
# time, three runs each: `fa2 investigate --snapshot DIR --quiet`, and the
# seven `fa2 run TOOL --snapshot DIR` calls one after another (summed).
# Wall and CPU seconds, and peak RSS (the largest of the seven for them).
set -euo pipefail

if [[ ! -x /usr/bin/time ]]; then
	echo "bench-investigate: needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2
	exit 2
fi
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/fa2" ./cmd/fa2
fa2="$work/fa2"
scales=("$@")
[[ ${#scales[@]} -gt 0 ]] || scales=(1 10)

tools=(get_alarms query_logs get_traces select_metrics query_cloudtrail get_findings query_access_logs)
args() {
	# select_metrics needs a question; the others run on their defaults.
	if [[ $1 == select_metrics ]]; then echo '{"question":"orders API returns 5xx"}'; else echo '{}'; fi
}
measure() { # measure OUT CMD... : appends "wall cpu rss_kb" to OUT
	local out=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || {
		echo "bench-investigate: $* failed:" >&2
		cat "$work/err" >&2
		exit 1
	}
	tail -1 "$work/t" | awk '{printf "%s %.2f %s\n", $1, $2+$3, $4}' >>"$out"
}

printf "%-6s %-22s %8s %8s %9s\n" scale what wall_s cpu_s rss_MB
for scale in "${scales[@]}"; do
	dir="$work/bench$scale"
	FA2_BENCH_DIR="$dir" FA2_BENCH_SCALE="$scale" go test ./investigate -run TestWriteBenchmarkSnapshot -count=1 >/dev/null
	for run in 1 2 3; do
		: >"$work/inv"
		measure "$work/inv" "$fa2" investigate --snapshot "$dir" --quiet
		read -r w c m <"$work/inv"
		printf "%-6s %-22s %8s %8s %9d\n" "${scale}x" "investigate" "$w" "$c" $((m / 1024))
	done
	for run in 1 2 3; do
		: >"$work/seven"
		for t in "${tools[@]}"; do
			measure "$work/seven" "$fa2" run "$t" --snapshot "$dir" --json "$(args "$t")"
		done
		awk -v s="${scale}x" '{w+=$1; c+=$2; if ($3>m) m=$3} END {printf "%-6s %-22s %8.2f %8.2f %9d\n", s, "seven tools (sum)", w, c, m/1024}' "$work/seven"
	done
done
