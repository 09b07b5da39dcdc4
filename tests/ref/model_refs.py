#!/usr/bin/python3
# model_refs.py - reference values for tests/test_train.c and tests/test_eval.c
# (scorer/learn/train.c, scorer/learn/eval.c). Run with Debian's interpreter (numpy,
# scipy): /usr/bin/python3 tests/ref/model_refs.py
"""Prints `name = value` lines (17 significant digits) that are pasted into
the C tests. Every value is computed independently of the C code:

- the L2-regularised logistic regression on a tiny fixed data set, minimised
  with SciPy's L-BFGS-B to a gradient norm below 1e-12 (the C code uses GSL's
  BFGS2), and the penalised loss at the optimum;
- ROC AUC by counting every positive-negative pair (ties count one half);
- average precision (PR AUC) by its definition, sum over distinct
  thresholds of (R_k - R_{k-1}) * P_k;
- the best-F1 threshold by trying every midpoint."""

import numpy as np
from scipy.optimize import minimize


def out(name, value):
    print(f"{name} = {float(value):.17g}")


# The data set of test_train.c: row i has features
#   x1 = (i * 7 % 11) / 5, x2 = (i * 3 % 7) / 3, x3 = 1 when i % 4 == 0
# and label y = 1 when (i * 5 % 13) < 6 or x1 > 1.4.
N = 24
X = np.array([[(i * 7 % 11) / 5, (i * 3 % 7) / 3, 1.0 if i % 4 == 0 else 0.0]
              for i in range(N)])
y = np.array([1.0 if (i * 5 % 13) < 6 or X[i, 0] > 1.4 else 0.0
              for i in range(N)])
LAMBDA = 0.7


def loss(w):
    z = w[0] + X @ w[1:]
    f = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * LAMBDA * w[1:] @ w[1:]
    p = 1.0 / (1.0 + np.exp(-z))
    g = np.concatenate([[np.sum(p - y)], X.T @ (p - y) + LAMBDA * w[1:]])
    return f, g


res = minimize(loss, np.zeros(4), jac=True, method="L-BFGS-B",
               options={"gtol": 1e-13, "ftol": 1e-15, "maxiter": 10000})
f, g = loss(res.x)
assert np.linalg.norm(g) < 1e-8, np.linalg.norm(g)
for j, w in enumerate(res.x):
    out(f"lr_w{j}", w)
out("lr_loss", f)

# Scores and labels of test_eval.c (with ties).
s = np.array([0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.1])
t = np.array([1, 1, 0, 1, 0, 1, 0, 0, 1, 0], dtype=float)
pos, neg = s[t == 1], s[t == 0]
auc = np.mean([(a > b) + 0.5 * (a == b) for a in pos for b in neg])
out("roc_auc", auc)

ap, r_prev = 0.0, 0.0
for th in sorted(set(s), reverse=True):
    pred = s >= th
    tp = np.sum(pred & (t == 1))
    r = tp / np.sum(t)
    ap += (r - r_prev) * tp / np.sum(pred)
    r_prev = r
out("pr_auc", ap)

best, best_th = -1.0, None
levels = sorted(set(s), reverse=True)
for k, th in enumerate(levels):
    pred = s >= th
    tp = np.sum(pred & (t == 1))
    f1 = 2 * tp / (np.sum(pred) + np.sum(t))
    if f1 > best:
        best = f1
        best_th = (th + levels[k + 1]) / 2 if k + 1 < len(levels) else th
out("best_f1", best)
out("best_threshold", best_th)
