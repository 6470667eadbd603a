#!/usr/bin/env python3
"""Forecasting benchmark: omnitwin vs statsforecast on the same series.

Run by scripts/bench_forecast.sh inside the bench virtualenv:

    forecast_peer.py --omnitwin BIN --network DIR --work DIR [--series N]
                     [--horizon 14] [--seed 1]

1. Reads DIR/history.csv (a network written by `omnitwin gen`), makes one
   dense daily series per store-SKU pair (zeros on days without a row) over
   the whole history window, and samples N pairs with demand.
2. Splits every series the same way: the last HORIZON days are the test
   part, the rest the training part; pairs without demand in training are
   dropped for both tools.
3. Writes a network directory for omnitwin holding only the training
   history of the sampled pairs (nodes, SKUs, routes copied) and runs
   `omnitwin forecast --threads 1` on it (one core), timing the process.
4. Runs statsforecast (AutoETS season 7, CrostonOptimized, CrostonSBA,
   TSB, ADIDA, IMAPA, SeasonalNaive 7; n_jobs=1) on the same training
   series, timing fit and forecast after a warm-up on 20 series.
5. Scores both on the test days: WAPE = sum|e| / sum actual per demand class
   (Syntetos-Boylan on the training part, the rule of docs/FORECASTING.md)
   and MASE = mean over series of MAE / in-sample seasonal-naive MAE
   (series with a zero scale skipped), and prints Markdown tables.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pandas as pd

SEASON = 7
CLASSES = ["smooth", "erratic", "intermittent", "lumpy"]


def classify(y):
    nz = y[y > 0]
    if len(nz) == 0:
        return "intermittent"
    adi = len(y) / len(nz)
    cv2 = 0.0
    if len(nz) >= 2:
        mean = nz.mean()
        var = (nz * nz).mean() - mean * mean
        cv2 = var / (mean * mean) if var > 0 else 0.0
    if adi >= 1.32:
        return "lumpy" if cv2 >= 0.49 else "intermittent"
    return "erratic" if cv2 >= 0.49 else "smooth"


def load_series(network):
    hist = pd.read_csv(os.path.join(network, "history.csv"), dtype={"node_id": str, "sku": str})
    hist["day"] = pd.to_datetime(hist["date"]).values.astype("datetime64[D]").astype(np.int64)
    nodes = pd.read_csv(os.path.join(network, "nodes.csv"), dtype=str)
    stores = set(nodes.loc[nodes["kind"] == "store", "node_id"])
    hist = hist[hist["node_id"].isin(stores)]
    first, last = int(hist["day"].min()), int(hist["day"].max())
    keys = hist[["node_id", "sku"]].drop_duplicates().sort_values(["node_id", "sku"])
    keys = list(keys.itertuples(index=False, name=None))
    index = {k: i for i, k in enumerate(keys)}
    dense = np.zeros((len(keys), last - first + 1))
    rows = [index[k] for k in zip(hist["node_id"], hist["sku"])]
    dense[rows, hist["day"].values - first] += hist["qty"].values
    return keys, dense, first


def write_train_network(src, dst, keys, train, first):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    os.makedirs(dst)
    for name in ("nodes.csv", "skus.csv", "routes.csv"):
        shutil.copy(os.path.join(src, name), os.path.join(dst, name))
    dates = pd.to_datetime(np.arange(first, first + train.shape[1]), unit="D").strftime("%Y-%m-%d")
    with open(os.path.join(dst, "history.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "node_id", "sku", "qty"])
        for (node, sku), y in zip(keys, train):
            for t in np.nonzero(y)[0]:
                w.writerow([dates[t], node, sku, int(y[t])])


def run_omnitwin(binary, network, out, horizon, threads):
    start = time.perf_counter()
    proc = subprocess.run([binary, "forecast", "--network", network, "--out", out,
                           "--horizon", str(horizon), "--threads", str(threads)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit("omnitwin forecast failed:\n" + proc.stderr)
    inner = None
    for line in proc.stderr.splitlines():
        if line.startswith("forecast:") and " s (" in line:
            inner = float(line.split(": ")[-1].split(" s (")[0])
    return seconds, inner, proc.stderr


def read_omnitwin(out, keys, horizon, first_test_day):
    fc = pd.read_csv(out, dtype={"node_id": str, "sku": str})
    want = pd.to_datetime(first_test_day, unit="D").strftime("%Y-%m-%d")
    if fc["date"].min() != want:
        sys.exit(f"omnitwin forecast starts on {fc['date'].min()}, the test part on {want}: "
                 "the two tools would not see the same split")
    index = {k: i for i, k in enumerate(keys)}
    pred = np.full((len(keys), horizon), np.nan)
    methods = [""] * len(keys)
    fc = fc.sort_values(["node_id", "sku", "date"])
    for (node, sku), g in fc.groupby(["node_id", "sku"], sort=False):
        i = index.get((node, sku))
        if i is not None:
            pred[i, :] = g["qty"].values[:horizon]
            methods[i] = g["method"].values[0]
    return pred, methods


def run_statsforecast(train, horizon):
    from statsforecast import StatsForecast
    from statsforecast.models import (ADIDA, IMAPA, TSB, AutoETS, CrostonOptimized,
                                      CrostonSBA, SeasonalNaive)

    models = [AutoETS(season_length=SEASON), CrostonOptimized(), CrostonSBA(),
              TSB(alpha_d=0.2, alpha_p=0.2), ADIDA(), IMAPA(),
              SeasonalNaive(season_length=SEASON)]
    n, days = train.shape
    ds = pd.date_range("2000-01-01", periods=days, freq="D")

    def frame(rows):
        return pd.DataFrame({"unique_id": np.repeat(np.arange(len(rows)), days),
                             "ds": np.tile(ds, len(rows)), "y": rows.reshape(-1)})

    warm = StatsForecast(models=models, freq="D", n_jobs=1)
    warm.forecast(df=frame(train[:20]), h=horizon)
    sf = StatsForecast(models=models, freq="D", n_jobs=1)
    df = frame(train)
    start = time.perf_counter()
    res = sf.forecast(df=df, h=horizon)
    seconds = time.perf_counter() - start
    if "unique_id" not in res.columns:
        res = res.reset_index()
    res = res.sort_values(["unique_id", "ds"])
    names = [c for c in res.columns if c not in ("unique_id", "ds")]
    preds = {name: np.clip(res[name].values.reshape(n, horizon), 0, None) for name in names}
    return seconds, preds


def scores(pred, test, train, classes):
    out = {}
    scale = np.array([np.mean(np.abs(y[SEASON:] - y[:-SEASON])) for y in train])
    err = np.abs(pred - test)
    for cls in CLASSES + ["all"]:
        mask = np.array([c == cls or cls == "all" for c in classes])
        if not mask.any():
            continue
        actual = test[mask].sum()
        wape = err[mask].sum() / actual if actual > 0 else float("nan")
        ok = mask & (scale > 0)
        mase = float(np.mean(err[ok].mean(axis=1) / scale[ok])) if ok.any() else float("nan")
        out[cls] = (int(mask.sum()), wape, mase)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--omnitwin", required=True)
    ap.add_argument("--network", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--series", type=int, default=20000)
    ap.add_argument("--horizon", type=int, default=14)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    h = args.horizon

    keys, dense, first = load_series(args.network)
    train_all, test_all = dense[:, :-h], dense[:, -h:]
    keep = np.nonzero(train_all.sum(axis=1) > 0)[0]
    rng = np.random.default_rng(args.seed)
    if len(keep) > args.series:
        keep = np.sort(rng.choice(keep, size=args.series, replace=False))
    keys = [keys[i] for i in keep]
    train, test = train_all[keep], test_all[keep]
    classes = [classify(y) for y in train]
    n = len(keys)
    print(f"series: {n} store-SKU pairs, {train.shape[1]} training days, "
          f"{h} test days; classes: "
          + ", ".join(f"{c} {classes.count(c)}" for c in CLASSES))

    net = os.path.join(args.work, "train")
    write_train_network(args.network, net, keys, train, first)
    out = os.path.join(args.work, "forecast.csv")
    ot_seconds, ot_inner, ot_log = run_omnitwin(args.omnitwin, net, out, h, 1)
    ot_pred, methods = read_omnitwin(out, keys, h, first + train.shape[1])
    if np.isnan(ot_pred).any():
        sys.exit("omnitwin forecast.csv lacks some series")
    ot2_seconds, _, _ = run_omnitwin(args.omnitwin, net, out + ".2", h, 2)

    sf_seconds, sf_preds = run_statsforecast(train, h)

    ot_rate = n / ot_seconds
    sf_rate = n / sf_seconds
    print()
    print("| tool | cores | seconds | series/s per core |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| statsforecast {__import__('statsforecast').__version__} (7 models) | 1 | "
          f"{sf_seconds:.1f} | {sf_rate:.1f} |")
    print(f"| omnitwin (whole process: load, choose, write) | 1 | {ot_seconds:.2f} | "
          f"{ot_rate:.0f} |")
    if ot_inner:
        print(f"| omnitwin (forecasting only) | 1 | {ot_inner:.2f} | {n / ot_inner:.0f} |")
    print(f"| omnitwin, 2 threads (whole process) | 2 | {ot2_seconds:.2f} | "
          f"{n / ot2_seconds / 2:.0f} |")
    print(f"\nspeed ratio (omnitwin whole process / statsforecast, per core): "
          f"{ot_rate / sf_rate:.1f}x")

    table = {"omnitwin (chosen)": scores(ot_pred, test, train, classes)}
    for name, pred in sf_preds.items():
        table["sf " + name] = scores(pred, test, train, classes)
    print()
    print("| class | series | method | WAPE | MASE |")
    print("| --- | ---: | --- | ---: | ---: |")
    verdict = []
    for cls in CLASSES + ["all"]:
        if cls not in table["omnitwin (chosen)"]:
            continue
        best = min((v[cls][1], k) for k, v in table.items() if k.startswith("sf "))
        for name, sc in table.items():
            count, wape, mase = sc[cls]
            mark = " (best statsforecast)" if name == best[1] else ""
            print(f"| {cls} | {count} | {name}{mark} | {wape:.4f} | {mase:.4f} |")
        ours = table["omnitwin (chosen)"][cls][1]
        verdict.append(f"{cls}: omnitwin {ours:.4f} vs best statsforecast {best[0]:.4f} "
                       f"({best[1][3:]}) -> {'ok' if ours <= best[0] else 'WORSE'}")
    print()
    for line in verdict:
        print(line)
    counts = {}
    for m in methods:
        counts[m] = counts.get(m, 0) + 1
    print("\nomnitwin methods chosen: " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
