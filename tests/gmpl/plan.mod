/* omnitwin's plan model (CONTRACT §5, docs/PLAN_MODEL.md) written
 * independently in GNU MathProg, as one monolithic LP over every SKU, for
 * the glpsol cross-check:
 *
 *   omnitwin plan ... --write-gmpl plan.dat
 *   glpsol --math tests/gmpl/plan.mod --data plan.dat
 *
 * Its optimum equals omnitwin's lp_objective (summary.csv) whenever
 * omnitwin's decomposition is exact (no shared capacity, or coupled SKUs
 * solved jointly). Lead times are the lanes' own (no disruption factors). */

param H integer > 0;
set T := 1..H;
set NODES;
set STOCK within NODES;                 /* DCs and stores */
set SKUS;
set LANES within NODES cross STOCK;     /* lanes into a stocking node */

param lead{LANES} integer >= 0;
param cost{LANES} >= 0;
param lcap{LANES} default 1e30;         /* volume per day */
param ncap{NODES} default 1e30;         /* stock volume, or a supplier's daily shipments */
param vol{SKUS} > 0;
param hold{SKUS} >= 0;
param lost{SKUS} >= 0;                  /* stockout cost per unit */
param open{STOCK, SKUS} default 0;
param d{STOCK, SKUS, T} default 0;      /* demand after factors */
param arr{STOCK, SKUS, T} default 0;    /* pipeline arrivals */
param ss{STOCK, SKUS} default 0;        /* soft safety stock */
param maxu{STOCK, SKUS} default 1e30;   /* shelf limit */

/* per unit-day below safety stock: above holding, and H days short cost
 * less than one lost sale */
param pen{s in SKUS} := hold[s] + max(0, lost[s] - hold[s]) / (2 * H);

/* shipments that arrive inside the horizon */
set X := setof{(i, j) in LANES, t in T: t + lead[i, j] <= H} (i, j, t);

var x{X, SKUS} >= 0;
var I{STOCK, SKUS, T} >= 0;
var y{n in STOCK, s in SKUS, t in T} >= 0, <= d[n, s, t];
var short{n in STOCK, s in SKUS, T: ss[n, s] > 0} >= 0;

minimize total_cost:
    sum{(i, j, t) in X, s in SKUS} cost[i, j] * x[i, j, t, s]
  + sum{n in STOCK, s in SKUS, t in T} hold[s] * I[n, s, t]
  + sum{n in STOCK, s in SKUS, t in T} lost[s] * (d[n, s, t] - y[n, s, t])
  + sum{n in STOCK, s in SKUS, t in T: ss[n, s] > 0} pen[s] * short[n, s, t];

s.t. balance{n in STOCK, s in SKUS, t in T}:
    I[n, s, t] = (if t = 1 then open[n, s] else I[n, s, t - 1]) + arr[n, s, t]
               + sum{(i, n) in LANES: t - lead[i, n] >= 1} x[i, n, t - lead[i, n], s]
               - sum{(n, j) in LANES: t + lead[n, j] <= H} x[n, j, t, s]
               - y[n, s, t];

s.t. lane_capacity{(i, j, t) in X: lcap[i, j] < 1e29}:
    sum{s in SKUS} vol[s] * x[i, j, t, s] <= lcap[i, j];

s.t. node_capacity{n in STOCK, t in T: ncap[n] < 1e29}:
    sum{s in SKUS} vol[s] * I[n, s, t] <= ncap[n];

s.t. supplier_capacity{n in NODES diff STOCK, t in T: ncap[n] < 1e29}:
    sum{(n, j) in LANES, s in SKUS: t + lead[n, j] <= H} vol[s] * x[n, j, t, s] <= ncap[n];

s.t. safety{n in STOCK, s in SKUS, t in T: ss[n, s] > 0}:
    I[n, s, t] + short[n, s, t] >= ss[n, s];

s.t. shelf{n in STOCK, s in SKUS, t in T: maxu[n, s] < 1e29}:
    I[n, s, t] <= maxu[n, s];

solve;

/* glpsol leaves the objective's constant (the demand's stockout cost) out
 * of total_cost's value: add it back */
printf "objective %.6f\n", total_cost
    + sum{n in STOCK, s in SKUS, t in T} lost[s] * d[n, s, t];

end;
