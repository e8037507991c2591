import { metrics } from '@opentelemetry/api';

/**
 * Process-level gauges under their semantic-convention names. Runtime-node
 * instrumentation covers heap, GC and event loop; RSS and CPU come from here so
 * a leak shows up as resident memory, as Kubernetes sees it.
 */
export function registerProcessMetrics(): void {
  const meter = metrics.getMeter('astroshop.process');
  meter
    .createObservableGauge('process.memory.usage', {
      unit: 'By',
      description: 'Resident set size of the process.',
    })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));
  meter
    .createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU time spent by the process.' })
    .addCallback((result) => {
      const usage = process.cpuUsage();
      result.observe(usage.user / 1e6, { 'cpu.mode': 'user' });
      result.observe(usage.system / 1e6, { 'cpu.mode': 'system' });
    });
}
