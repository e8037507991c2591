import { containerDetector } from '@opentelemetry/resource-detector-container';
import {
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
  type ResourceDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_NAMESPACE,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';

export const SHOP_VERSION = '0.1.0';
const DEFAULT_NAMESPACE = 'opentelemetry-demo';

/**
 * The shop's own resource attributes. The SDK merges what the detectors find
 * over them, so OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES (the env detector,
 * run last) win, as the spec requires.
 */
export function shopResource(env: NodeJS.ProcessEnv = process.env): Resource {
  return resourceFromAttributes({
    [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? 'unknown_service',
    [ATTR_SERVICE_NAMESPACE]: env.OTEL_SERVICE_NAMESPACE ?? DEFAULT_NAMESPACE,
    [ATTR_SERVICE_VERSION]: SHOP_VERSION,
    [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: env.DEPLOYMENT_ENVIRONMENT ?? 'native',
  });
}

/**
 * Detectors run when OTEL_NODE_RESOURCE_DETECTORS is not set (when it is, the
 * SDK picks from its own list by that variable). All are local and cheap
 * (container id from /proc/self/cgroup or mountinfo, host, os, process, a
 * random service.instance.id); cloud detectors are left out on purpose: they
 * probe metadata endpoints that do not exist here. env goes last so the
 * user's OTEL_RESOURCE_ATTRIBUTES override anything detected.
 */
export const SHOP_DETECTORS: ResourceDetector[] = [
  containerDetector,
  hostDetector,
  osDetector,
  processDetector,
  serviceInstanceIdDetector,
  envDetector,
];
