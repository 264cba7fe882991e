"""SciPy peer of the zeroth quality benchmark (driven by bench/quality/scipyPeer.ts).

Runs scipy.optimize.minimize (Nelder-Mead, Powell, COBYLA) on objectives that live in the Node process:
every function evaluation is a request to the driver, so both sides optimise exactly the same instance.

Protocol (stdin/stdout, binary, little-endian):
  peer -> driver  b'H' + u32 length + JSON {"scipy": version, "numpy": version}     once, at start
  driver -> peer  one JSON line: {"method", "dim", "x0": [...], "budget", "timeLimit"}   per task
  peer -> driver  b'E' + dim float64                                                  per evaluation
  driver -> peer  float64 value                                                       reply
  peer -> driver  b'R' + u32 length + JSON {"x", "nfev", "nit", "message", "stoppedBy"} end of task
An empty line or EOF ends the peer.

Tolerances are SciPy's defaults (xatol = fatol = 1e-4 for Nelder-Mead, xtol = ftol = 1e-4 for Powell,
rhoend = 1e-4 for COBYLA), so a run may end before its budget when SciPy considers it converged.
The budget is a hard cap: maxfev / maxiter are set to it, and an evaluation past it (Nelder-Mead and Powell
can overshoot maxfev inside an iteration) stops the run at the best point seen.
"""
import json
import struct
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize

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


def run(task):
    dim = int(task['dim'])
    budget = int(task['budget'])
    deadline = time.monotonic() + float(task.get('timeLimit', 1e9))
    state = {'n': 0, 'best': np.inf, 'bestx': None, 'stopped': None}

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
    if method == 'Nelder-Mead':
        options = {'maxfev': budget, 'maxiter': budget, 'adaptive': dim > 10}
    elif method == 'Powell':
        options = {'maxfev': budget, 'maxiter': budget}
    elif method == 'COBYLA':
        options = {'maxiter': budget}
    else:
        raise ValueError('unknown method ' + method)
    try:
        r = minimize(f, x0, method=method, options=options)
        x = np.asarray(r.x, dtype=float)
        result = {'nit': int(getattr(r, 'nit', 0) or 0), 'message': str(r.message), 'stoppedBy': 'converged' if r.success else 'budget'}
    except Stop:
        x = state['bestx'] if state['bestx'] is not None else x0
        result = {'nit': 0, 'message': 'stopped by the driver cap (best point seen)', 'stoppedBy': state['stopped']}
    result['x'] = [float(v) for v in x]
    result['nfev'] = state['n']
    send(b'R', json.dumps(result).encode())


def main():
    send(b'H', json.dumps({'scipy': scipy.__version__, 'numpy': np.__version__}).encode())
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
