/**
 * Upper bound on one evaluation. The provider's own gRPC deadline covers a
 * flagd that answers slowly, but not a peer that accepts the connection and
 * never speaks gRPC (a wrong FLAGD_PORT, a stand-in without the evaluation
 * API): there an evaluation hung ~5 s and took the request with it. Past this
 * bound the caller gets its default, as with any other evaluation error.
 */
export const FLAG_EVALUATION_TIMEOUT_MS = 500;

/** `evaluation`, or `fallback` when it fails or takes longer than FLAG_EVALUATION_TIMEOUT_MS. */
export function boundedEvaluation<T>(evaluation: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), FLAG_EVALUATION_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([evaluation.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}
