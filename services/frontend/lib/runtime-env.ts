// window.ENV, computed per request on the server (spec §4.4).
import { BAGGAGE } from '@astroshop/telemetry/names';
import type { RuntimeEnv } from './types.ts';

/** True when the request's W3C baggage header says `synthetic_request=true`. */
export function isSynthetic(baggageHeader: string | string[] | undefined): boolean {
  const raw = Array.isArray(baggageHeader) ? baggageHeader.join(',') : (baggageHeader ?? '');
  return raw.split(',').some((entry) => {
    const [key, value] = entry.split(';')[0]?.split('=') ?? [];
    return key?.trim() === BAGGAGE.syntheticRequest && decodeURIComponent(value?.trim() ?? '') === 'true';
  });
}

export function runtimeEnv(
  env: Record<string, string | undefined>,
  baggageHeader?: string | string[],
): RuntimeEnv {
  return {
    NEXT_PUBLIC_PLATFORM: env.ENV_PLATFORM || 'local',
    NEXT_PUBLIC_OTEL_SERVICE_NAME: env.WEB_OTEL_SERVICE_NAME || 'frontend-web',
    NEXT_PUBLIC_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:
      env.PUBLIC_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || '/otlp-http/v1/traces',
    IS_SYNTHETIC_REQUEST: String(isSynthetic(baggageHeader)),
  };
}

/** The inline script; `<` escaped so no value can close the script tag. */
export const envScript = (env: RuntimeEnv) => `window.ENV = ${JSON.stringify(env).replace(/</g, '\\u003c')};`;
