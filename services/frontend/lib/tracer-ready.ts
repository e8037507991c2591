// API calls wait (briefly) for the tracer so no fetch goes out untraced; once
// it runs, calls go out synchronously (the click's context is not lost).
// The flag lives on window: the hook and the pages may be separate bundles.
const FLAG = '__astroshopTracerStarted';
type Flagged = Window & { [FLAG]?: boolean };

export function tracerStarted(): void {
  (window as Flagged)[FLAG] = true;
}

/** null when tracing already runs; otherwise a promise settling within 3 s. */
export function waitForTracer(): Promise<void> | null {
  if (typeof window === 'undefined' || (window as Flagged)[FLAG]) return null;
  return new Promise<void>((resolve) => {
    const started = Date.now();
    const poll = () => {
      if ((window as Flagged)[FLAG] || Date.now() - started > 3000) resolve();
      else setTimeout(poll, 25);
    };
    poll();
  });
}
