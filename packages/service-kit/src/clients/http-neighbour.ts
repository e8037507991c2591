import { status } from '@grpc/grpc-js';
import { type CallBudget, callBudget } from './deadline.ts';
import type { NeighbourConfig } from './grpc-neighbour.ts';
import {
  type CallTarget,
  codeForGrpc,
  codeForHttp,
  deadlineDetail,
  NeighbourError,
} from './neighbour-error.ts';
import { withRetries } from './retry.ts';

export interface HttpNeighbour {
  /**
   * POSTs `body` as JSON to `path` and returns the answer's text (empty for
   * an empty body). `idempotent` (a quote, a lookup) lets an UNAVAILABLE
   * failure be retried within the deadline; a write (ship, send) never is.
   */
  postJson(path: string, body: unknown, options: { idempotent: boolean }): Promise<string>;
  /** A failure naming this neighbour and `step`, for an answer the caller cannot use. */
  badAnswer(step: string, detail: string): NeighbourError;
}

/**
 * An HTTP JSON neighbour with the same contract as `grpcNeighbour`: deadline
 * from config (never past the inbound call's), one status mapping, errors
 * naming it and the step, bounded retries of idempotent calls. The global
 * fetch keeps connections alive; the undici instrumentation makes its spans
 * and metrics. `fetchImpl` is for tests.
 */
export function httpNeighbour(config: NeighbourConfig, fetchImpl: typeof fetch = fetch): HttpNeighbour {
  const baseUrl = config.address.replace(/\/+$/, '');
  const targetOf = (step: string): CallTarget => ({ neighbour: config.name, step, address: baseUrl });
  return {
    postJson(path, body, { idempotent }) {
      const target = targetOf(`POST ${path}`);
      const budget = callBudget(config.timeoutMs);
      return withRetries(idempotent, budget, async () => {
        let response: Response;
        try {
          response = await fetchImpl(`${baseUrl}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(Math.max(1, budget.at - Date.now())),
          });
        } catch (error) {
          throw unreachable(target, error, budget);
        }
        const text = await response.text().catch(() => '');
        if (!response.ok) {
          const reason = reasonOf(text);
          throw new NeighbourError(
            target,
            codeForHttp(response.status),
            `HTTP ${response.status}: ${reason}`,
            {
              httpStatus: response.status,
              reason,
            },
          );
        }
        return text;
      });
    },
    badAnswer: (step, detail) => new NeighbourError(targetOf(step), status.INTERNAL, detail),
  };
}

function unreachable(target: CallTarget, error: unknown, budget: CallBudget): NeighbourError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    const code = status.DEADLINE_EXCEEDED;
    return new NeighbourError(target, codeForGrpc(code, budget.byCaller), deadlineDetail(budget), {
      neighbourCode: code,
      cause: error,
    });
  }
  return new NeighbourError(target, status.UNAVAILABLE, `unreachable (${causeOf(error)})`, { cause: error });
}

/** fetch() says only "fetch failed"; the useful part (ECONNREFUSED …) is in its cause. */
function causeOf(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message}: ${cause}` : String(err.message ?? error);
}

/** The `error` of a JSON error body (`{"error": "…"}`), else the start of the body. */
function reasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: the raw text is the reason
  }
  return body.slice(0, 200);
}
