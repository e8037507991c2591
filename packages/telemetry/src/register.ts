// Preloaded with `node --import @astroshop/telemetry/register` (or its path)
// before any application module, so instrumentations patch grpc-js, pg, ioredis,
// kafkajs, http and pino as they load. OTEL_SDK_DISABLED=true turns it all off,
// which is how the overhead benchmarks get their baseline.
import { register as registerImportHooks } from 'import-in-the-middle/register-hooks.mjs';
import { patchedModules, shopInstrumentations } from './instrumentations.ts';
import { createSdk, startSdk } from './sdk.ts';
import { setActiveSdk } from './state.ts';

if (process.env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true') {
  // ESM imports are patched through import-in-the-middle's synchronous hooks
  // (module.registerHooks), on the main thread: module.register() ran them on a
  // loader thread with a V8 isolate of its own, 8-10 MiB PSS in every process
  // (issue 17). Only the modules an instrumentation patches are wrapped.
  const instrumentations = shopInstrumentations();
  registerImportHooks({ include: patchedModules(instrumentations) });
  const sdk = createSdk(process.env, instrumentations);
  startSdk(sdk);
  setActiveSdk(sdk);
}
