"""Python peers of the zeroth benchmarks (driven by bench/peers/pythonPeer.ts).

Runs a derivative-free optimiser from SciPy, NLopt, cmaes or Optuna on an objective that lives in the Node
process: every function evaluation is a request to the driver, so both sides optimise exactly the same
instance, and the driver counts the evaluations.

Protocol (stdin/stdout, binary, little-endian):
  peer -> driver  b'H' + u32 length + JSON {library: version or null}                 once, at start
  driver -> peer  one JSON line: {"method", "dim", "x0", "budget", "timeLimit", "seed",
                                  "lower", "upper" (lists or null), "step"}           per task
  peer -> driver  b'E' + dim float64                                                  per evaluation
  driver -> peer  float64 value                                                       reply
  peer -> driver  b'R' + u32 length + JSON {"x", "nfev", "nit", "message", "stoppedBy"} end of task
An empty line or EOF ends the peer.

The budget is a hard cap: an evaluation past it (or past the time limit) stops the run at the best point
seen. "step" is the initial step / radius / sigma the driver chose (the same rule for every method, see
bench/peers/peerMethods.ts); "lower"/"upper" is the box (always present for Optuna, which needs one).
"""
import json
import math
import struct
import sys
import time

out = sys.stdout.buffer
inp = sys.stdin.buffer


def send(tag, payload):
    out.write(tag + struct.pack('<I', len(payload)) + payload)
    out.flush()


class Stop(Exception):
    pass


def read_exact(n):
    buf = b''
    while len(buf) < n:
        chunk = inp.read(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def versions():
    found = {}
    for name in ('numpy', 'scipy', 'nlopt', 'cmaes', 'optuna'):
        try:
            mod = __import__(name)
            v = getattr(mod, '__version__', None)
            if v is None and name == 'nlopt':
                v = '%d.%d.%d' % (mod.version_major(), mod.version_minor(), mod.version_bugfix())
            found[name] = str(v)
        except Exception:
            found[name] = None
    return found


def run(task):
    import numpy as np

    dim = int(task['dim'])
    budget = int(task['budget'])
    deadline = time.monotonic() + float(task.get('timeLimit', 1e9))
    state = {'n': 0, 'best': np.inf, 'bestx': None, 'stopped': None}
    lower = task.get('lower')
    upper = task.get('upper')
    step = float(task['step'])
    seed = int(task.get('seed', 0))

    def f(x):
        if state['n'] >= budget:
            state['stopped'] = 'budget'
            raise Stop()
        if time.monotonic() > deadline:
            state['stopped'] = 'time'
            raise Stop()
        x = np.asarray(x, dtype='<f8')
        out.write(b'E' + x.tobytes())
        out.flush()
        (v,) = struct.unpack('<d', read_exact(8))
        state['n'] += 1
        if v < state['best']:
            state['best'] = v
            state['bestx'] = x.copy()
        return v

    x0 = np.asarray(task['x0'], dtype=float)
    method = task['method']
    result = {'nit': 0, 'message': '', 'stoppedBy': 'converged'}
    x = x0
    try:
        if method.startswith('SciPy '):
            x, result = run_scipy(method[6:], f, x0, budget, dim, lower, upper, step)
        elif method.startswith('NLopt '):
            x, result = run_nlopt(method[6:], f, x0, budget, dim, lower, upper, step)
        elif method == 'CMA-ES':
            x, result = run_cmaes(f, x0, budget, dim, lower, upper, step, seed)
        elif method.startswith('Optuna '):
            x, result = run_optuna(method[7:], f, x0, budget, dim, lower, upper, step, seed)
        else:
            raise ValueError('unknown method ' + method)
    except Stop:
        x = state['bestx'] if state['bestx'] is not None else x0
        result = {'nit': 0, 'message': 'stopped by the driver cap (best point seen)', 'stoppedBy': state['stopped']}
    except Exception as e:  # e.g. nlopt.RoundoffLimited: the method ended itself; keep its best point
        x = state['bestx'] if state['bestx'] is not None else x0
        result = {'nit': 0, 'message': '%s: %s' % (type(e).__name__, e), 'stoppedBy': 'converged'}
    if state['bestx'] is not None and state['best'] <= f_at(x, state):
        x = state['bestx']
    result['x'] = [float(v) for v in x]
    result['nfev'] = state['n']
    send(b'R', json.dumps(result).encode())


def f_at(x, state):
    # The value of the returned point, if it is the best point seen (avoids an extra evaluation).
    import numpy as np
    if state['bestx'] is not None and np.array_equal(np.asarray(x, dtype=float), state['bestx']):
        return state['best']
    return math.inf


def run_scipy(name, f, x0, budget, dim, lower, upper, step):
    from scipy.optimize import minimize
    if name == 'Nelder-Mead':
        options = {'maxfev': budget, 'maxiter': budget, 'adaptive': dim > 10}
    elif name == 'Powell':
        options = {'maxfev': budget, 'maxiter': budget}
    elif name == 'COBYLA':
        options = {'maxiter': budget, 'rhobeg': step}
    else:
        raise ValueError('unknown SciPy method ' + name)
    r = minimize(f, x0, method=name, options=options)
    return r.x, {'nit': int(getattr(r, 'nit', 0) or 0), 'message': str(r.message), 'stoppedBy': 'converged' if r.success else 'budget'}


def run_nlopt(name, f, x0, budget, dim, lower, upper, step):
    import nlopt
    import numpy as np
    algorithm = {'NEWUOA': nlopt.LN_NEWUOA, 'BOBYQA': nlopt.LN_BOBYQA, 'COBYLA': nlopt.LN_COBYLA}[name]
    if name == 'NEWUOA' and lower is not None:
        algorithm = nlopt.LN_NEWUOA_BOUND
    if name == 'NEWUOA' and dim < 2:
        raise ValueError('NEWUOA needs dim >= 2')
    opt = nlopt.opt(algorithm, dim)
    opt.set_min_objective(lambda x, grad: f(x))
    if lower is not None:
        opt.set_lower_bounds(list(lower))
        opt.set_upper_bounds(list(upper))
    opt.set_initial_step(step)
    opt.set_maxeval(budget)
    opt.set_xtol_rel(1e-10)
    x = opt.optimize(np.asarray(x0, dtype=float))
    code = opt.last_optimize_result()
    reached = {nlopt.MAXEVAL_REACHED: 'budget', nlopt.MAXTIME_REACHED: 'time'}.get(code, 'converged')
    return x, {'nit': 0, 'message': 'nlopt result %d' % code, 'stoppedBy': reached}


def run_cmaes(f, x0, budget, dim, lower, upper, step, seed):
    import numpy as np
    from cmaes import CMA
    bounds = None if lower is None else np.column_stack([np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)])
    opt = CMA(mean=np.asarray(x0, dtype=float), sigma=step, bounds=bounds, seed=seed)
    best = (math.inf, np.asarray(x0, dtype=float))
    generations = 0
    while True:
        solutions = []
        for _ in range(opt.population_size):
            x = opt.ask()
            v = f(x)
            if v < best[0]:
                best = (v, x)
            solutions.append((x, v))
        opt.tell(solutions)
        generations += 1
        if opt.should_stop():
            # Restart from the best point with the initial sigma (the budget decides when to end).
            opt = CMA(mean=best[1], sigma=step, bounds=bounds, seed=seed + generations)


def run_optuna(name, f, x0, budget, dim, lower, upper, step, seed):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    names = ['x%d' % i for i in range(dim)]
    if name == 'TPE':
        sampler = optuna.samplers.TPESampler(seed=seed)
    elif name == 'CMA-ES':
        sampler = optuna.samplers.CmaEsSampler(seed=seed, x0={k: float(v) for k, v in zip(names, x0)}, sigma0=step)
    else:
        raise ValueError('unknown Optuna sampler ' + name)
    study = optuna.create_study(sampler=sampler, direction='minimize')
    study.enqueue_trial({k: float(v) for k, v in zip(names, x0)})

    def objective(trial):
        x = [trial.suggest_float(k, float(lower[i]), float(upper[i])) for i, k in enumerate(names)]
        return f(x)

    try:
        study.optimize(objective, n_trials=budget, catch=())
    except Stop:
        raise
    best = study.best_trial
    return [best.params[k] for k in names], {'nit': len(study.trials), 'message': 'n_trials reached', 'stoppedBy': 'budget'}


def main():
    send(b'H', json.dumps(versions()).encode())
    while True:
        line = inp.readline()
        if not line or not line.strip():
            return
        run(json.loads(line))


if __name__ == '__main__':
    try:
        main()
    except (EOFError, BrokenPipeError):
        pass
