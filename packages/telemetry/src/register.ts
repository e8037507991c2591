// Preloaded with `node --import @astroshop/telemetry/register` (or its path)
// before any application module, so instrumentations patch grpc-js, pg, ioredis,
// kafkajs, http and pino as they load. OTEL_SDK_DISABLED=true turns it all off,
// which is how the overhead benchmarks get their baseline.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { createSdk, startSdk } from './sdk.ts';
import { setActiveSdk } from './state.ts';

if (process.env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true') {
  // ESM modules are patched through import-in-the-middle; the message channel
  // limits wrapping to the modules an instrumentation asked for.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const sdk = createSdk();
  startSdk(sdk);
  setActiveSdk(sdk);
  await waitForAllMessagesAcknowledged();
}
