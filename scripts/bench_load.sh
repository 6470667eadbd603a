#!/usr/bin/env bash
# Benchmark part "load": loading a generated network (CSV -> twin).
#
#   scripts/bench_load.sh [OMNITWIN_BIN]
#
# Generates once, cached under build/bench/, a network of 2 DCs x 200
# stores x 5,000 SKUs x 365 days (BENCH_STORES, BENCH_SKUS, BENCH_DAYS
# change the size), then times `omnitwin validate --network DIR` with
# /usr/bin/time -v and prints a Markdown table: load seconds, MB/s (bytes of
# the network's CSV files / seconds) and peak RSS, with the exact commands.
# The cache is rebuilt when the generator's source or the size changes.
set -euo pipefail
bin=$(readlink -f "${1:-build/omnitwin}")
cd "$(dirname "$0")/.."

stores=${BENCH_STORES:-200}
skus=${BENCH_SKUS:-5000}
days=${BENCH_DAYS:-365}
dcs=2 suppliers=2 seed=1
dir=build/bench/net-${dcs}dc-${stores}x${skus}x${days}
gen_cmd=(gen --out "$dir" --suppliers $suppliers --dcs $dcs --stores "$stores"
         --skus "$skus" --days "$days" --seed $seed)
# What the cached files were made from: the command and the generator.
stamp=$( { echo "${gen_cmd[*]}"; cat engine/gen_*.c engine/gen_impl.h include/omnitwin/gen.h \
           adapters/cli/cmd_gen.c; } | sha1sum | cut -d' ' -f1)

mkdir -p build/bench
if [[ ! -f $dir/.stamp || $(cat "$dir/.stamp") != "$stamp" ]]; then
  rm -rf "$dir"
  echo "generating $dir (once; cached) ..." >&2
  /usr/bin/time -v -o build/bench/gen-time.txt "$bin" "${gen_cmd[@]}" >&2
  echo "$stamp" > "$dir/.stamp"
fi

network_files=(nodes skus routes inventory history pipeline policy)
bytes=0
for f in "${network_files[@]}"; do
  bytes=$(( bytes + $(stat -c %s "$dir/$f.csv") ))
done

out=build/bench/validate-out.txt
tv=build/bench/validate-time.txt
/usr/bin/time -v -o "$tv" "$bin" validate --network "$dir" > "$out"

wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tv")
seconds=$(awk -v w="$wall" 'BEGIN { n = split(w, p, ":"); s = 0;
                                    for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
# The twin's own figures, from validate's summary.
load_line=$(grep -m1 '^  load' "$out" || true)
memory_line=$(grep -m1 '^  memory' "$out" || true)
load_s=$(sed -n 's/.* in \([0-9.]*\) s.*/\1/p' <<<"$load_line")
load_s=${load_s:-$seconds}

# The peer, in the same run: libcsv alone on the same files, with callbacks
# that only count (scripts/bench/libcsv_parse.c).
peer=build/bench/libcsv_parse
cc -O2 -o "$peer" scripts/bench/libcsv_parse.c -lcsv
peer_files=("${network_files[@]/#/$dir/}")
read -r peer_bytes peer_s peer_rows peer_fields < <("$peer" "${peer_files[@]/%/.csv}")

awk -v b="$bytes" -v s="$load_s" -v w="$seconds" -v r="$rss_kb" -v ps="$peer_s" \
    -v st="$stores" -v sk="$skus" -v d="$days" 'BEGIN {
  printf "| network | CSV bytes | omnitwin load s | omnitwin MB/s | libcsv alone s | libcsv MB/s | omnitwin / libcsv | process wall s | peak RSS MB |\n"
  printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
  printf "| 2 DCs x %d stores x %d SKUs x %d days | %.0f | %.2f | %.0f | %.2f | %.0f | %.2f | %.2f | %.0f |\n",
         st, sk, d, b, s, (s > 0 ? b / 1e6 / s : 0), ps, (ps > 0 ? b / 1e6 / ps : 0),
         (s > 0 ? ps / s : 0), w, r / 1024
}'
echo
echo "twin summary: $(echo $load_line); $(echo $memory_line)"
echo
echo "commands: \`omnitwin ${gen_cmd[*]}\` (once), then"
echo "\`/usr/bin/time -v omnitwin validate --network $dir\`, then the peer"
echo "\`$peer $dir/{nodes,skus,routes,inventory,history,pipeline,policy}.csv\`"
