"""PyTorch MeZO reference for bench/perf: the in-place Gaussian perturbation of one parameter tensor,
torch.manual_seed(s); z = torch.normal(0, 1, size); p.add_(z, alpha=eps)
Usage: python3 torch_mezo.py <d> <threads> <runs>. Prints one JSON line: ns/elem per run and the median."""
import json
import sys
import time

import torch

d, threads, runs = int(float(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
p = torch.full((d,), 0.01, dtype=torch.float32)
times = []
for r in range(runs + 2):
    eps = 1e-3 if r % 2 == 0 else -1e-3
    t0 = time.perf_counter()
    torch.manual_seed(1000 + r)
    z = torch.normal(0, 1, size=(d,))
    p.add_(z, alpha=eps)
    dt = time.perf_counter() - t0
    del z
    if r >= 2:
        times.append(dt * 1e9 / d)
s = sorted(times)
print(json.dumps({"impl": f"torch{threads}", "kind": "gaussian", "d": d, "runs": times, "median": s[len(s) // 2],
                  "version": torch.__version__}))
