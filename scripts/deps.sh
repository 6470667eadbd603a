#!/usr/bin/env bash
# Installs with apt-get whatever omnitwin needs and this machine lacks.
# Idempotent; silent when everything is present.
set -euo pipefail

packages=(
  build-essential pkg-config
  libglpk-dev glpk-utils        # LP solver and glpsol (the MathProg cross-check)
  librdkafka-dev kcat           # Kafka client and an independent client for tests
  libcsv-dev                    # CSV parsing
  libxml2-dev libxml2-utils     # XML feeds, xmllint for schema checks in tests
  libjansson-dev                # JSON event values (docs/ARCHITECTURE.md says why)
  check                         # unit tests
  clang                         # fuzz harnesses (libFuzzer)
  python3-venv                  # the statsforecast peer in make bench
  openjdk-17-jre-headless maven # the Apache Kafka broker the integration tests start
)

missing=()
for p in "${packages[@]}"; do
  [[ $p == \#* ]] && continue
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done" >&2
