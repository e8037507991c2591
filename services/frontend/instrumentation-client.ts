// Runs in the browser before React hydrates (Next.js client instrumentation
// hook), so zone.js and the user-interaction instrumentation see React's
// event listeners being added: a click's span then parents the fetches it makes.
import { startTracer } from './lib/tracer.ts';
import { tracerStarted } from './lib/tracer-ready.ts';

try {
  startTracer();
} catch (error) {
  console.warn('browser tracing disabled:', error);
} finally {
  tracerStarted();
}
