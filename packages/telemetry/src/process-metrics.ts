import { metrics } from '@opentelemetry/api';
import {
  ATTR_CPU_MODE,
  CPU_MODE_VALUE_SYSTEM,
  CPU_MODE_VALUE_USER,
  METRIC_PROCESS_CPU_TIME,
  METRIC_PROCESS_MEMORY_USAGE,
} from './semconv-incubating.ts';

/**
 * Process-level gauges under their semantic-convention names. Runtime-node
 * instrumentation covers heap, GC and event loop; RSS and CPU come from here so
 * a leak shows up as resident memory, as Kubernetes sees it.
 */
export function registerProcessMetrics(): void {
  const meter = metrics.getMeter('astroshop.process');
  meter
    .createObservableGauge(METRIC_PROCESS_MEMORY_USAGE, {
      unit: 'By',
      description: 'Resident set size of the process.',
    })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));
  meter
    .createObservableCounter(METRIC_PROCESS_CPU_TIME, {
      unit: 's',
      description: 'CPU time spent by the process.',
    })
    .addCallback((result) => {
      const usage = process.cpuUsage();
      result.observe(usage.user / 1e6, { [ATTR_CPU_MODE]: CPU_MODE_VALUE_USER });
      result.observe(usage.system / 1e6, { [ATTR_CPU_MODE]: CPU_MODE_VALUE_SYSTEM });
    });
}
