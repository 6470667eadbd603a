#!/usr/bin/env bash
# make fuzz: builds every tests/fuzz/fuzz_<name>.c with clang's libFuzzer
# (-fsanitize=fuzzer,address,undefined) against the engine and adapters, and
# runs each for FUZZ_SECONDS (default 30) from a copy of its seed corpus
# tests/fuzz/corpus/<name>/ (new inputs go to build/fuzz/corpus/<name>/, the
# repository's corpus is never changed). Crashes are written to
# build/fuzz/crash-<name>-*; the script fails when any harness crashed.
#
#   scripts/fuzz.sh                 every harness, 30 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh feed    one harness for 5 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz: $CC not found (apt-get install clang)"; exit 1; }
out=build/fuzz
mkdir -p "$out/obj"

flags=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Iinclude -Iengine -Iadapters
       $(pkg-config --cflags libxml-2.0 rdkafka jansson) -fno-omit-frame-pointer)
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
libs=($(pkg-config --libs libxml-2.0 rdkafka jansson) -lglpk -lcsv -lm -pthread)

# The engine and every adapter except the command line (main lives there).
objs=()
for src in engine/*.c adapters/*/*.c; do
  [[ $src == adapters/cli/* ]] && continue
  obj=$out/obj/${src//\//_}
  obj=${obj%.c}.o
  if [[ ! -e $obj || $src -nt $obj ]]; then
    "$CC" "${flags[@]}" "${san[@]}" -fsanitize=fuzzer-no-link -c -o "$obj" "$src"
  fi
  objs+=("$obj")
done

if (( $# )); then names=("$@"); else
  names=(); for h in tests/fuzz/fuzz_*.c; do n=${h#tests/fuzz/fuzz_}; names+=("${n%.c}"); done
fi
export OMNITWIN_SCHEMA_DIR=$PWD/data/schemas
failed=0
for name in "${names[@]}"; do
  harness=tests/fuzz/fuzz_$name.c
  bin=$out/fuzz_$name
  "$CC" "${flags[@]}" "${san[@]}" -fsanitize=fuzzer -o "$bin" "$harness" "${objs[@]}" "${libs[@]}"
  corpus=$out/corpus/$name
  mkdir -p "$corpus"
  [[ -d tests/fuzz/corpus/$name ]] && cp -n tests/fuzz/corpus/$name/* "$corpus"/ 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  if "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix="$out/crash-$name-" -print_final_stats=1 "$corpus" \
       > "$out/fuzz_$name.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$out/fuzz_$name.log" |
      sed "s/^/fuzz: $name: /"
  else
    echo "fuzz: $name FAILED; see $out/fuzz_$name.log"; tail -30 "$out/fuzz_$name.log"
    failed=1
  fi
done
exit $failed
