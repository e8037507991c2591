import type { NodeSDK } from '@opentelemetry/sdk-node';

// The preload module and the application import this package through
// different specifiers, so the running SDK is shared through a global symbol.
const KEY = Symbol.for('astroshop.telemetry.sdk');
type Holder = { [KEY]?: NodeSDK };

export function setActiveSdk(sdk: NodeSDK): void {
  (globalThis as Holder)[KEY] = sdk;
}

export function activeSdk(): NodeSDK | undefined {
  return (globalThis as Holder)[KEY];
}
