#!/usr/bin/env bash
# Forecasting benchmark (docs/BENCHMARKS.md §2): omnitwin vs statsforecast on
# the same sample of series of a generated network, same train/test split
# (last 14 days held out), in one run. statsforecast is pip-installed into
# build/bench/venv on first use.
#
#   scripts/bench_forecast.sh build/omnitwin
#   FORECAST_SERIES=2000 scripts/bench_forecast.sh build/omnitwin   # quicker
#
# Environment: FORECAST_SERIES (default 20000), FORECAST_STORES (50),
# FORECAST_SKUS (400), FORECAST_DAYS (379 = 365 training + 14 test),
# FORECAST_SEED (7).
set -euo pipefail
bin=$(readlink -f "${1:-build/omnitwin}")
cd "$(dirname "$0")/.."
work=build/bench/forecast
venv=build/bench/venv
mkdir -p "$work"

if ! "$venv/bin/python" -c 'import statsforecast' 2>/dev/null; then
  echo "bench_forecast: installing statsforecast into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet statsforecast
fi

stores=${FORECAST_STORES:-50} skus=${FORECAST_SKUS:-400}
days=${FORECAST_DAYS:-379} seed=${FORECAST_SEED:-7}
"$bin" gen --out "$work/net" --stores "$stores" --skus "$skus" --days "$days" \
  --seed "$seed" --event-days 0 >&2

echo "machine: $(nproc) cores, $(uname -sr); network: omnitwin gen --stores $stores" \
     "--skus $skus --days $days --seed $seed"
"$venv/bin/python" scripts/bench/forecast_peer.py --omnitwin "$bin" --network "$work/net" \
  --work "$work" --series "${FORECAST_SERIES:-20000}" --horizon 14
