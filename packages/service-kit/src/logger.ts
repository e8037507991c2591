import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout. The pino instrumentation (telemetry preload)
 * adds trace_id/span_id and forwards each record to the OTLP log pipeline.
 */
export function createLogger(name = process.env.OTEL_SERVICE_NAME ?? 'service'): Logger {
  return pino({
    name,
    level: process.env.LOG_LEVEL ?? 'info',
    base: { 'service.name': name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
