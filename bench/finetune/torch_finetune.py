"""PyTorch column of bench/finetune: the MeZO reference algorithm and the first-order baselines on the same data split
and the same base weights as zeroth, one method per process.

MeZO reference (Malladi et al.'s trainer): per step a seed; per parameter tensor torch.manual_seed(seed) then
z = torch.normal(0, 1, size); parameters moved out of place, p.data = p.data + k * eps * z for k = +1, -2, +1;
projected gradient (L+ - L-) / (2 eps) on one minibatch; update p.data = p.data - lr * g * z with z regenerated.

Usage: /usr/bin/python3 torch_finetune.py '<json run>'  → one JSON line on stdout."""
import json
import resource
import sys
import time

import numpy as np
import torch

run = json.loads(sys.argv[1])
torch.set_num_threads(1)
MB = 1024 * 1024


def rss_now():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def max_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def read(name):
    return np.fromfile(f"{run['data']}-{name}.bin", dtype='<f4')


x_train = torch.from_numpy(read('train59-x').reshape(-1, 784))
y_train = torch.from_numpy(read('train59-y').astype(np.int64))
x_test = torch.from_numpy(read('test59-x').reshape(-1, 784))
y_test = torch.from_numpy(read('test59-y').astype(np.int64))
x_old = torch.from_numpy(read('test04-x').reshape(-1, 784))
y_old = torch.from_numpy(read('test04-y').astype(np.int64))

before_model = rss_now()
widths = [784, 256, 10] if run['model'] == 'mlp' else [784, 4096, 4096, 4096, 10]
layers = []
for i in range(len(widths) - 1):
    layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
    if i < len(widths) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
if run.get('weights'):
    index = json.load(open(run['weights'] + '.json'))
    flat = np.fromfile(run['weights'] + '.bin', dtype='<f4')
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for j, lin in enumerate(linears):
            k, b = index['blocks'][2 * j], index['blocks'][2 * j + 1]
            kin, kout = k['shape']
            kernel = flat[k['offset']:k['offset'] + kin * kout].reshape(kin, kout)
            lin.weight.copy_(torch.from_numpy(kernel.T.copy()))
            lin.bias.copy_(torch.from_numpy(flat[b['offset']:b['offset'] + kout].copy()))
model_loaded = rss_now()
params = [(n, p) for n, p in model.named_parameters()]
loss_fn = torch.nn.CrossEntropyLoss()
rng = np.random.default_rng(run['seed'])
n_train = x_train.shape[0]


def batch():
    idx = torch.from_numpy(rng.choice(n_train, size=run['batchSize'], replace=False))
    return x_train[idx], y_train[idx]


@torch.no_grad()
def evaluate(x, y):
    out = model(x)
    return float((out.argmax(-1) == y).float().mean()), float(loss_fn(out, y))


def perturb(seed, scale, eps):
    torch.manual_seed(seed)
    for _, p in params:
        z = torch.normal(mean=0, std=1, size=p.data.size(), dtype=p.data.dtype)
        p.data = p.data + scale * z * eps


evaluations = []
step_times = []
forward = 0
t_start = time.perf_counter()
method = run['method']
acc, loss = evaluate(x_test, y_test)
evaluations.append({'step': 0, 'forwardPasses': 0, 'elapsedMs': 0.0, 'accuracy': acc, 'loss': loss})
opt = None
if method == 'foSgd':
    opt = torch.optim.SGD(model.parameters(), lr=run['learningRate'])
elif method == 'foAdam':
    opt = torch.optim.Adam(model.parameters(), lr=run['learningRate'])
for step in range(1, run['steps'] + 1):
    t0 = time.perf_counter()
    xb, yb = batch()
    if method == 'inference':
        with torch.no_grad():
            float(loss_fn(model(xb), yb))
        forward += 1
    elif method == 'mezo':
        eps, lr = run['sigma'], run['learningRate']
        seed = int(rng.integers(1_000_000_000))
        with torch.no_grad():
            perturb(seed, 1, eps)
            l1 = float(loss_fn(model(xb), yb))
            perturb(seed, -2, eps)
            l2 = float(loss_fn(model(xb), yb))
            perturb(seed, 1, eps)
            g = (l1 - l2) / (2 * eps)
            torch.manual_seed(seed)
            for _, p in params:
                z = torch.normal(mean=0, std=1, size=p.data.size(), dtype=p.data.dtype)
                p.data = p.data - lr * g * z
        forward += 2
    else:
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
        forward += 1
    step_times.append((time.perf_counter() - t0) * 1000)
    if method != 'inference' and step % run['evalEvery'] == 0:
        acc, loss = evaluate(x_test, y_test)
        evaluations.append({'step': step, 'forwardPasses': forward, 'elapsedMs': (time.perf_counter() - t_start) * 1000,
                            'accuracy': acc, 'loss': loss})
peak = max_rss()
fwd = []
with torch.no_grad():
    for k in range(3 if run['model'] == 'big' else 50):
        xb, yb = batch()
        t0 = time.perf_counter()
        float(loss_fn(model(xb), yb))
        fwd.append((time.perf_counter() - t0) * 1000)
forgetting = evaluate(x_old, y_old)[0] if method != 'inference' else None
out = {
    'run': run, 'evaluations': evaluations if method != 'inference' else [], 'stepMs': float(np.median(step_times)),
    'forwardMs': float(np.median(fwd)), 'forwardCachedMs': float(np.median(fwd)),
    'rss': {'beforeModelMB': before_model / MB, 'modelLoadedMB': model_loaded / MB, 'peakMB': peak / MB},
    'parameters': sum(p.numel() for _, p in params), 'torch': torch.__version__,
}
if forgetting is not None:
    out['forgetting'] = forgetting
print(json.dumps(out))
