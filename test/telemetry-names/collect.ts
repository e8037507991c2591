// Reads what the running shop emitted: service names, span names and span/event
// attribute keys from Jaeger (API v3, OTLP JSON: no Jaeger-made keys), metric
// family names from Prometheus. Missing data is an error, never an empty list.
import { findSpans, JAEGER_URL, PROMETHEUS_URL } from '../lib/backends.ts';
import type { Emitted } from './diff.ts';

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Prometheus family names: histogram series (_bucket/_sum/_count) count once. */
export function metricFamilies(names: string[]): string[] {
  const all = new Set(names);
  const families = new Set<string>();
  for (const name of names) {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    families.add(base !== name && all.has(`${base}_bucket`) ? base : name);
  }
  return [...families].sort();
}

export async function collectEmitted(lookbackMs: number): Promise<Emitted> {
  const { services } = await getJson<{ services: string[] }>(`${JAEGER_URL}/api/v3/services`);
  if (!services?.length) throw new Error('Jaeger knows no services: no traces arrived');
  const since = new Date(Date.now() - lookbackMs);
  const spanNames = new Set<string>();
  const attributes = new Set<string>();
  for (const service of services) {
    const { operations } = await getJson<{ operations: { name: string }[] }>(
      `${JAEGER_URL}/api/v3/operations?${new URLSearchParams({ service })}`,
    );
    for (const { name } of operations ?? []) {
      spanNames.add(name);
      // One query per operation, so rare spans' attributes are seen too.
      for (const span of await findSpans(service, { operation: name, since })) {
        const keys = [
          ...Object.keys(span.attributes),
          ...span.events.flatMap((e) => Object.keys(e.attributes)),
        ];
        // Jaeger adds `@jaeger@…` keys of its own (e.g. warnings about a span's clock skew).
        for (const key of keys) if (!key.startsWith('@jaeger@')) attributes.add(key);
      }
    }
  }
  if (spanNames.size === 0) throw new Error('Jaeger lists services but no span names');
  if (attributes.size === 0)
    throw new Error(`no span attributes in the last ${lookbackMs / 60_000} min of traces`);
  // Only series of the look-back window: the TSDB outlives a restart of the stack.
  const window = new URLSearchParams({ start: since.toISOString() });
  const { data } = await getJson<{ data: string[] }>(
    `${PROMETHEUS_URL}/api/v1/label/__name__/values?${window}`,
  );
  if (!data?.length) throw new Error('Prometheus has no metrics');
  const { data: serviceLabels } = await getJson<{ data: string[] }>(
    `${PROMETHEUS_URL}/api/v1/label/service_name/values?${window}`,
  );
  return {
    // A service counts if it sent traces or metrics (frontend-web sends traces only, kafka metrics and logs).
    services: [...new Set([...services, ...(serviceLabels ?? [])])].sort(),
    spanNames: [...spanNames].sort(),
    attributes: [...attributes].sort(),
    metrics: metricFamilies(data),
  };
}
