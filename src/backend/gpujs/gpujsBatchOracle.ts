import { Input } from 'gpu.js';
import type { GPU, IKernelRunShortcut, KernelVariable } from 'gpu.js';
import { InvalidHyperparameter, InvalidInput, ZerothError } from '../../errors.js';
import { verdictOf } from '../../oracle/_internal/verdict.js';
import type { BatchOracle } from '../../oracle/oracle.js';
import type { EvalContext, Params } from '../../types.js';
import { integerAtLeast } from '../../validate.js';
import { createGpu, defaultGpujsMode, kernelModeOf, type GpujsKernelMode, type GpujsMode } from './gpujsMode.js';

/** A value gpu.js accepts as a kernel constant (a number, or a 1-D or 2-D array of numbers). */
export type GpujsConstant = number | boolean | readonly number[] | readonly (readonly number[])[] | Float32Array;

/** The user's kernel constants; `dim` and `numProbes` are reserved (zeroth sets them). */
export type GpujsConstants = { readonly [name: string]: GpujsConstant };

/** What `this` is inside an objective kernel. */
export interface GpujsKernelThis<C extends GpujsConstants = Record<never, never>> {
  /** `thread.x` is the index of the probe this thread evaluates. */
  readonly thread: { readonly x: number; readonly y: number; readonly z: number };
  /** `output.x` is the number of probes of this launch. */
  readonly output: { readonly x: number; readonly y: number; readonly z: number };
  /** The user's constants, plus `dim` and `numProbes` (use them as loop bounds). */
  readonly constants: C & { readonly dim: number; readonly numProbes: number };
}

/**
 * An objective written as a gpu.js kernel: `points[p][i]` is coordinate `i` of probe `p` (blocks concatenated in
 * order), `dim` the number of coordinates, `this.thread.x` the probe to evaluate; extra arguments follow in the
 * order of `args`. It returns f at `points[this.thread.x]`. It must be a `function` declaring exactly
 * `(points, dim, ...one parameter per entry of args)` (gpu.js transpiles its source text, so no arrow functions
 * and no closures), or the same as source text.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- gpu.js passes the extra arguments as given
export type GpujsObjectiveKernel<C extends GpujsConstants = Record<never, never>> = (this: GpujsKernelThis<C>, points: number[][], dim: number, ...args: any[]) => number;

/** Options of {@link gpujsBatchOracle}. */
export interface GpujsBatchOracleOptions<C extends GpujsConstants = Record<never, never>> {
  /** The objective, in gpu.js's kernel subset; see {@link GpujsObjectiveKernel}. */
  readonly kernel: GpujsObjectiveKernel<C> | string;
  /** Number of coordinates of a point: the total length of the parameter blocks. */
  readonly dim: number;
  /** A GPU instance to create the kernels on (you own it: `dispose` leaves it alive). Exclusive with `mode`. */
  readonly gpu?: GPU;
  /**
   * The gpu.js mode of a GPU created for this oracle; see {@link GpujsMode}.
   * @defaultValue {@link defaultGpujsMode}: 'gpu' in browsers (and Node with headless-gl), else 'webasm'
   */
  readonly mode?: GpujsMode;
  /** Constants compiled into the kernel, read as `this.constants.name` (e.g. a fixed matrix). */
  readonly constants?: C;
  /** Extra kernel arguments after `(points, dim)`, the same at every launch (e.g. a matrix as a gpu.js `Input`). */
  readonly args?: readonly KernelVariable[];
  /**
   * gpu.js cuts every loop whose bound is not a constant after this many iterations (in every mode, silently).
   * Loops bounded by `this.constants.dim` are not affected.
   * @defaultValue max(1000, dim)
   */
  readonly loopMaxIterations?: number;
}

/** A batch oracle that evaluates every probe point of a step in one gpu.js kernel launch. */
export interface GpujsBatchOracle extends BatchOracle<Params> {
  /** The number of coordinates of a point. */
  readonly dim: number;
  /** The mode gpu.js was asked for. */
  readonly mode: string;
  /** The backend that ran the last launch (from its kernel class), `undefined` before the first launch. */
  readonly activeMode: GpujsKernelMode | string | undefined;
  /** Why gpu.js moved the last launch's kernel to its cpu backend, or `null`. */
  readonly fallbackReason: string | null;
  /** Kernel launches so far (one per `values` call). */
  readonly launches: number;
  /** f at every point, in order, from one kernel launch (float32 values, widened). */
  values(xs: readonly Params[], contexts: readonly EvalContext[]): Promise<Float64Array>;
  /** Destroys the compiled kernels, and the GPU when this oracle created it. */
  dispose(): Promise<void>;
}

const RESERVED = ['dim', 'numProbes'];
/** Compiled kernels kept, one per launch size (most estimators use one or two sizes). */
const CACHE = 4;

/**
 * A {@link BatchOracle} that evaluates f at all probe points of a step in ONE gpu.js kernel launch (DeepZero's
 * forward parallelisation): the probe points that {@link evaluateProbes} materialised are packed into one
 * [numProbes × dim] float32 input, and thread `p` computes f at point `p`. So the 2d probes of `cge` (central)
 * or the 2q probes of `spsa` cost one launch per step.
 *
 * The kernel subset (gpu.js): float32 arithmetic (webasm and GL modes compute in f32; accumulate long sums with
 * care), `Math.*` functions, `for` loops bounded by constants or by at most `loopMaxIterations`, local
 * variables, `if`; no closures (only arguments and `this.constants` are visible), no objects, no allocation,
 * no recursion. Values come back as float32, so expect a relative error of about 1e-6 against float64 TypeScript.
 * The evaluation context (`noiseSeed`) is not passed to the kernel: the objective is deterministic.
 *
 * One kernel is compiled per launch size on first use (a few ms in webasm; kept for the next steps).
 * Queries per launch: one per probe. Extra memory: the packed input (numProbes × dim float32) and gpu.js's copy.
 *
 * @see A. Chen et al., "DeepZero: Scaling up Zeroth-Order Optimization for Deep Model Training", ICLR 2024.
 * @throws InvalidHyperparameter (options `kernel`, `dim`, `gpu`/`mode`, `constants`, `loopMaxIterations`);
 * InvalidInput when gpu.js cannot compile or run the kernel on its first launch, or a point has not `dim`
 * coordinates.
 *
 * @example
 * ```ts
 * const sphere = gpujsBatchOracle({
 *   mode: 'webasm',
 *   dim: 100,
 *   kernel: function (points, dim) {
 *     let s = 0;
 *     for (let i = 0; i < this.constants.dim; i++) s += points[this.thread.x]![i]! * points[this.thread.x]![i]!;
 *     return s;
 *   },
 * });
 * ```
 */
export function gpujsBatchOracle<C extends GpujsConstants = Record<never, never>>(options: GpujsBatchOracleOptions<C>): GpujsBatchOracle {
  const source = options.kernel;
  if (typeof source !== 'function' && typeof source !== 'string') {
    throw new InvalidHyperparameter('kernel', source, 'must be a gpu.js kernel function (points, dim, ...args) => number, or its source text');
  }
  const dim = integerAtLeast('dim', options.dim, 1);
  const loopMaxIterations = integerAtLeast('loopMaxIterations', options.loopMaxIterations ?? Math.max(1000, dim), 1);
  const constants = options.constants ?? {};
  if (typeof constants !== 'object' || constants === null) throw new InvalidHyperparameter('constants', constants, 'must be an object of numbers and arrays');
  for (const name of RESERVED) {
    if (name in constants) throw new InvalidHyperparameter(`constants.${name}`, (constants as GpujsConstants)[name], 'is reserved: zeroth sets it; rename your constant');
  }
  const args = options.args ?? [];
  if (!Array.isArray(args)) throw new InvalidHyperparameter('args', args, 'must be an array of kernel arguments');
  // gpu.js refuses a launch whose argument count differs from the kernel's parameters ("arguments are miss-aligned").
  if (typeof source === 'function' && source.length !== 2 + args.length) {
    throw new InvalidHyperparameter(
      'kernel',
      `a function of ${source.length} parameters`,
      `must declare exactly ${2 + args.length} parameters, (points, dim${args.map((_, i) => `, arg${i}`).join('')}): gpu.js passes the points, dim, then each entry of args (name unused ones _dim)`,
    );
  }
  let gpu: GPU;
  let mode: string;
  const owned = options.gpu === undefined;
  if (options.gpu !== undefined) {
    if (options.mode !== undefined) {
      throw new InvalidHyperparameter('mode', options.mode, 'cannot be combined with gpu: the GPU instance already has its mode; pass one of them');
    }
    if (typeof options.gpu.createKernel !== 'function') throw new InvalidHyperparameter('gpu', options.gpu, 'must be a gpu.js GPU instance');
    gpu = options.gpu;
    mode = String(gpu.mode);
  } else {
    ({ gpu, mode } = createGpu(options.mode ?? defaultGpujsMode()));
  }

  const kernels = new Map<number, IKernelRunShortcut>();
  let launches = 0;
  let activeMode: GpujsKernelMode | string | undefined;
  let fallbackReason: string | null = null;
  let disposed = false;

  const kernelFor = (n: number): [IKernelRunShortcut, boolean] => {
    const cached = kernels.get(n);
    if (cached !== undefined) return [cached, false];
    const settings = {
      output: [n],
      constants: { ...constants, dim, numProbes: n },
      loopMaxIterations,
      tactic: 'precision' as const,
      precision: 'single' as const,
    };
    let kernel: IKernelRunShortcut;
    try {
      kernel = typeof source === 'string' ? gpu.createKernel(source, settings) : gpu.createKernel(source as never, settings);
    } catch (e) {
      throw compileError(e, mode);
    }
    if (kernels.size >= CACHE) {
      const [oldest, k] = kernels.entries().next().value!;
      kernels.delete(oldest);
      k.destroy();
    }
    kernels.set(n, kernel);
    return [kernel, true];
  };

  const launch = async (xs: readonly Params[]): Promise<Float64Array> => {
    if (disposed) throw new InvalidInput('oracle', 'it was disposed', 'Create a new gpujsBatchOracle.');
    const n = xs.length;
    if (n === 0) return new Float64Array(0);
    const packed = pack(xs, dim);
    const [kernel, fresh] = kernelFor(n);
    let out: unknown;
    try {
      out = await kernel(new Input(packed as unknown as number[], [dim, n]), dim, ...args);
    } catch (e) {
      if (!fresh) throw e;
      kernels.delete(n);
      kernel.destroy();
      throw compileError(e, mode);
    }
    launches++;
    activeMode = kernelModeOf(kernel.kernel);
    fallbackReason = kernel.kernel.fallbackReason ?? null;
    if (!isNumbers(out) || out.length !== n) {
      throw new InvalidInput('kernel', `its launch returned ${describe(out)} instead of ${n} numbers`, 'Return one number per thread.');
    }
    return Float64Array.from(out);
  };

  const self: GpujsBatchOracle = {
    kind: 'batch',
    dim,
    mode,
    get activeMode() {
      return activeMode;
    },
    get fallbackReason() {
      return fallbackReason;
    },
    get launches() {
      return launches;
    },
    async values(xs) {
      try {
        return await launch(xs);
      } catch (e) {
        // The oracle's own checks are its verdicts (they pass the evaluation boundary as they are); what the
        // kernel itself threw is the objective's.
        throw e instanceof ZerothError ? verdictOf(self, e) : e;
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const k of kernels.values()) k.destroy();
      kernels.clear();
      if (owned) await gpu.destroy();
    },
  };
  return self;
}

/** Packs the points into one row-major [n × dim] float32 array (blocks concatenated in order). */
function pack(xs: readonly Params[], dim: number): Float32Array {
  const packed = new Float32Array(xs.length * dim);
  xs.forEach((x, p) => {
    let offset = p * dim;
    const end = offset + dim;
    for (const block of x) {
      const data = block.data;
      if (offset + data.length > end) break;
      packed.set(data, offset);
      offset += data.length;
    }
    const length = x.reduce((s, b) => s + b.data.length, 0);
    if (length !== dim) {
      throw new InvalidInput('points', `probe ${p} has ${length} coordinates, the oracle was created with dim ${dim}`, `Create the oracle with dim: ${length}.`);
    }
  });
  return packed;
}

function compileError(e: unknown, mode: string): InvalidInput {
  const message = e instanceof Error ? e.message : String(e);
  const error = new InvalidInput(
    'kernel',
    `gpu.js (mode '${mode}') could not compile or run it: ${message.split('\n')[0]}`,
    'Write f in gpu.js\'s kernel subset: a `function (points, dim, ...args)` (not an arrow function) that reads only its ' +
      'arguments and this.constants (no closures), with loops bounded by constants, returning one number.',
  );
  (error as { cause?: unknown }).cause = e;
  return error;
}

function isNumbers(v: unknown): v is ArrayLike<number> {
  return v instanceof Float32Array || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
}

function describe(v: unknown): string {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `${v.constructor.name} of length ${(v as ArrayLike<unknown>).length}`;
  return typeof v;
}
