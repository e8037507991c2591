// Readiness as the supervisor sees it: gRPC health Check("") is SERVING, or an
// HTTP GET answers 2xx.
import { createClient, HealthCheckResponse_ServingStatus, HealthClient, unary } from '@astroshop/proto';

export async function grpcServing(address: string): Promise<boolean> {
  const health = createClient(HealthClient, address);
  try {
    const reply = await unary(health.check, health)({ service: '' }, { timeoutMs: 1000 });
    return reply.status === HealthCheckResponse_ServingStatus.SERVING;
  } finally {
    health.close();
  }
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok;
}
