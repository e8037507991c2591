import { randomUUID } from 'node:crypto';
import {
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export const SHOP_VERSION = '0.1.0';
const DEFAULT_NAMESPACE = 'opentelemetry-demo';

/**
 * The resource every signal carries. OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES
 * (read by the env detector) win over these defaults, as the spec requires.
 */
export function buildResource(env: NodeJS.ProcessEnv = process.env): Resource {
  const defaults = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? 'unknown_service',
    'service.namespace': env.OTEL_SERVICE_NAMESPACE ?? DEFAULT_NAMESPACE,
    [ATTR_SERVICE_VERSION]: SHOP_VERSION,
    'service.instance.id': randomUUID(),
    'deployment.environment.name': env.DEPLOYMENT_ENVIRONMENT ?? 'native',
  });
  // host/process detectors are cheap and synchronous; cloud detectors are left
  // out on purpose (they probe metadata endpoints that do not exist here).
  const detected = detectResources({ detectors: [hostDetector, processDetector, envDetector] });
  return defaults.merge(detected);
}
