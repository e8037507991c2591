// API calls wait (briefly) for the tracer so the first page's fetches are
// traced too; once it runs, calls go out synchronously (no lost click context).
let started = false;
let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});

export function tracerStarted(): void {
  started = true;
  markReady();
}

/** null when tracing already runs; otherwise a promise settling within 3 s. */
export function waitForTracer(): Promise<void> | null {
  if (started || typeof window === 'undefined') return null;
  return Promise.race([ready, new Promise<void>((resolve) => setTimeout(resolve, 3000))]);
}
