#!/usr/bin/env bash
# Benchmark 4 (docs/BENCHMARKS.md): parse and resolve a 10 MB CAP 1.2 alert
# and a 10 MB DATEX II publication against a 2,000-store network.
#
#   scripts/bench_disruptions.sh build/omnitwin
#
# The network comes from `omnitwin gen` (2 DCs, 2,000 stores, 50 SKUs, 28 days
# of history); the feeds are generated here with a fixed seed: the CAP alert
# holds infos whose areas are 12-vertex polygons and 30 km circles around
# random points of the network's extent; the DATEX publication holds
# accidents, roadworks and abnormal traffic at random points and 2-point
# lines. `omnitwin disruptions show` reports its own parse and resolve times
# (network loading and CSV printing excluded); the best of 3 runs is given.
set -euo pipefail
bin=$(readlink -f "${1:-build/omnitwin}")
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-build/bench/disruptions}
mkdir -p "$work"
net=$work/net
if [[ ! -e $net/nodes.csv ]]; then
  "$bin" gen --out "$net" --suppliers 2 --dcs 2 --stores 2000 --skus 50 --days 28 \
             --event-days 0 --seed 7 > /dev/null
fi
python3 - "$net/nodes.csv" "$work" <<'PY'
import csv, math, random, sys
nodes, work = sys.argv[1], sys.argv[2]
pts = [(float(r['lat']), float(r['lon'])) for r in csv.DictReader(open(nodes)) if r['lat']]
lat0, lat1 = min(p[0] for p in pts), max(p[0] for p in pts)
lon0, lon1 = min(p[1] for p in pts), max(p[1] for p in pts)
rnd = random.Random(42)
target = 10 * 1000 * 1000
sev = ['Extreme', 'Severe', 'Moderate', 'Minor']
ev = ['Winter Storm Warning', 'Flood Warning', 'Excessive Heat Warning', 'Blizzard Warning',
      'Ice Storm Warning', 'Flash Flood Warning']
def ring(lat, lon, r):
    vs = []
    for k in range(12):
        a = 2 * math.pi * k / 12
        vs.append('%.4f,%.4f' % (lat + r * math.sin(a), lon + r * math.cos(a) * 1.3))
    vs.append(vs[0])
    return ' '.join(vs)
with open(work + '/cap-10mb.xml', 'w') as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">\n'
            '<identifier>BENCH-1</identifier><sender>bench@omnitwin</sender>'
            '<sent>2026-01-01T00:00:00Z</sent><status>Actual</status><msgType>Alert</msgType>'
            '<scope>Public</scope>\n')
    i = 0
    while f.tell() < target:
        i += 1
        lat, lon = rnd.uniform(lat0, lat1), rnd.uniform(lon0, lon1)
        d = rnd.randint(1, 20)
        f.write('<info><language>en-US</language><category>Met</category><event>%s</event>'
                '<urgency>Expected</urgency><severity>%s</severity><certainty>Likely</certainty>'
                '<onset>2026-01-%02dT06:00:00-05:00</onset><expires>2026-01-%02dT18:00:00-05:00</expires>'
                '<headline>Bench alert %d</headline>\n<area><areaDesc>area %d</areaDesc>'
                '<polygon>%s</polygon><circle>%.4f,%.4f 30</circle>'
                '<geocode><valueName>UGC</valueName><value>ZZZ%03d</value></geocode></area></info>\n'
                % (rnd.choice(ev), rnd.choice(sev), d, d + rnd.randint(0, 2), i, i,
                   ring(lat, lon, rnd.uniform(0.1, 0.6)), lat + 0.2, lon - 0.2, i % 1000))
    f.write('</alert>\n')
types = ['Accident', 'Roadworks', 'AbnormalTraffic', 'PoorEnvironmentConditions']
dsev = ['highest', 'high', 'medium', 'low']
with open(work + '/datex-10mb.xml', 'w') as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<d2LogicalModel xmlns="http://datex2.eu/schema/2/2_0" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" modelBaseVersion="2">\n'
            '<payloadPublication xsi:type="SituationPublication" lang="en">'
            '<publicationTime>2026-01-01T00:00:00Z</publicationTime>\n')
    i = 0
    while f.tell() < target:
        i += 1
        lat, lon = rnd.uniform(lat0, lat1), rnd.uniform(lon0, lon1)
        d = rnd.randint(1, 20)
        pts = '<pointCoordinates><latitude>%.5f</latitude><longitude>%.5f</longitude></pointCoordinates>' % (lat, lon)
        loc = ('<groupOfLocations xsi:type="Point"><pointByCoordinates>%s</pointByCoordinates></groupOfLocations>' % pts
               if i % 2 else
               '<groupOfLocations xsi:type="Linear"><tpegLinearLocation><from>%s</from><to>'
               '<pointCoordinates><latitude>%.5f</latitude><longitude>%.5f</longitude></pointCoordinates>'
               '</to></tpegLinearLocation></groupOfLocations>' % (pts, lat + 0.1, lon + 0.1))
        f.write('<situation id="S%d" version="1"><overallSeverity>%s</overallSeverity>'
                '<situationRecord xsi:type="%s" id="R%d" version="1">'
                '<situationRecordCreationTime>2026-01-01T00:00:00Z</situationRecordCreationTime>'
                '<validity><validityStatus>definedByValidityTimeSpec</validityStatus>'
                '<validityTimeSpecification><overallStartTime>2026-01-%02dT00:00:00Z</overallStartTime>'
                '<overallEndTime>2026-01-%02dT00:00:00Z</overallEndTime></validityTimeSpecification></validity>'
                '<impact><capacityRemaining>%d</capacityRemaining><delays><delayTimeValue>%d</delayTimeValue></delays></impact>'
                '%s</situationRecord></situation>\n'
                % (i, rnd.choice(dsev), rnd.choice(types), i, d, d + rnd.randint(1, 3),
                   rnd.randint(10, 90), rnd.randint(0, 7200), loc))
    f.write('</payloadPublication></d2LogicalModel>\n')
PY
stores=$(grep -c ',store,' "$net/nodes.csv")
lanes=$(($(wc -l < "$net/routes.csv") - 1))
echo "network: $stores stores, $lanes lanes ($net)"
echo
echo "| feed | size | records | node / lane targets | parse s | resolve s | total s |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for feed in cap-10mb.xml datex-10mb.xml; do
  best=""
  for run in 1 2 3; do
    line=$("$bin" disruptions show "$work/$feed" --network "$net" --from 2026-01-01 \
             --to 2026-01-31 2>&1 >/dev/null | grep '^disruptions:')
    parse=$(sed -E 's/.*parse ([0-9.]+) s.*/\1/' <<<"$line")
    resolve=$(sed -E 's/.*resolve ([0-9.]+) s.*/\1/' <<<"$line")
    total=$(awk -v a="$parse" -v b="$resolve" 'BEGIN { printf "%.3f", a + b }')
    if [[ -z $best ]] || awk -v a="$total" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$total best_line=$line best_parse=$parse best_resolve=$resolve
    fi
  done
  records=$(sed -E 's/disruptions: ([0-9]+) records.*/\1/' <<<"$best_line")
  targets=$(sed -E 's/.*window; ([0-9]+) node and ([0-9]+) lane targets.*/\1 \/ \2/' <<<"$best_line")
  size=$(awk -v b="$(stat -c %s "$work/$feed")" 'BEGIN { printf "%.1f MB", b / 1e6 }')
  echo "| $feed | $size | $records | $targets | $best_parse | $best_resolve | $best |"
done
