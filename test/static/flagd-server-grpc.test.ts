// The flagd stand-in (scripts/devstack/src/flagd-server.ts) speaks flagd's gRPC
// evaluation API well enough for the services' own provider: evaluated here
// through the real @openfeature/flagd-provider (rpc resolver, LRU cache, the
// options packages/flags uses), against a stand-in on free ports with a flag
// file of this test's own, offline.
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FlagServer, startFlagServer } from '../lib/flag-server.ts';

const root = join(import.meta.dirname, '..', '..');
// The provider is a dependency of packages/flags, not of the workspace root.
const require = createRequire(join(root, 'packages/flags/package.json'));
// Typed by hand here: the root tsconfig does not see packages/flags' dependencies.
interface Details<T> {
  value: T;
  variant?: string;
  reason?: string;
  errorCode?: string;
}
interface Client {
  getBooleanDetails(key: string, def: boolean, ctx?: Record<string, string>): Promise<Details<boolean>>;
  getNumberDetails(key: string, def: number): Promise<Details<number>>;
  getStringDetails(key: string, def: string): Promise<Details<string>>;
  getBooleanValue(key: string, def: boolean): Promise<boolean>;
  addHandler(event: string, handler: (details?: { flagsChanged?: string[] }) => void): void;
}
const { FlagdProvider } = require('@openfeature/flagd-provider') as {
  FlagdProvider: new (options: Record<string, unknown>) => object;
};
const { OpenFeature, ProviderEvents } = require('@openfeature/server-sdk') as {
  OpenFeature: {
    setProviderAndWait(domain: string, provider: object): Promise<void>;
    getClient(domain: string): Client;
    close(): Promise<void>;
  };
  ProviderEvents: { ConfigurationChanged: string };
};

function flags(cacheFailure: 'on' | 'off') {
  return {
    $schema: 'https://flagd.dev/schema/v0/flags.json',
    flags: {
      recommendationCacheFailure: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: cacheFailure,
      },
      cartFailure: {
        state: 'ENABLED',
        variants: { '100%': 1, '75%': 0.75, off: 0 },
        defaultVariant: '75%',
      },
      productCatalogFailure: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: { if: [{ '==': [{ var: 'product_id' }, 'OLJCESPC7Z'] }, 'on', 'off'] },
      },
    },
  };
}

describe('flagd stand-in over gRPC, through the real flagd provider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagd-grpc-'));
  const file = join(dir, 'flags.json');
  let server: FlagServer;
  const client = () => OpenFeature.getClient('flagd-grpc-test');

  /** Atomic replace, as the flag UI and kubelet's ConfigMap updates do. */
  function writeFlags(cacheFailure: 'on' | 'off'): void {
    writeFileSync(`${file}.tmp`, JSON.stringify(flags(cacheFailure)));
    renameSync(`${file}.tmp`, file);
  }

  before(async () => {
    writeFlags('off');
    server = await startFlagServer(file);
    // Ready once the provider got provider_ready over the EventStream.
    await OpenFeature.setProviderAndWait(
      'flagd-grpc-test',
      new FlagdProvider({
        host: '127.0.0.1',
        port: server.ports.evaluation,
        cache: 'lru',
        retryBackoffMaxMs: 200,
      }),
    );
  });

  after(async () => {
    await OpenFeature.close();
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a boolean, a number and a targeting rule evaluate as flagd would', async () => {
    const bool = await client().getBooleanDetails('recommendationCacheFailure', true);
    assert.equal(bool.value, false, server.output());
    assert.equal(bool.variant, 'off');
    assert.equal(bool.reason, 'STATIC');
    assert.equal(bool.errorCode, undefined);

    const num = await client().getNumberDetails('cartFailure', 0);
    assert.equal(num.value, 0.75);
    assert.equal(num.variant, '75%');

    const hit = await client().getBooleanDetails('productCatalogFailure', false, {
      product_id: 'OLJCESPC7Z',
    });
    assert.equal(hit.value, true);
    assert.equal(hit.reason, 'TARGETING_MATCH');
    const miss = await client().getBooleanDetails('productCatalogFailure', true, {
      product_id: 'L9ECAV7KIM',
    });
    assert.equal(miss.value, false);
    assert.equal(miss.variant, 'off');
  });

  test('an unknown flag or a wrong type yields the caller default with an error', async () => {
    const unknown = await client().getBooleanDetails('noSuchFlag', true);
    assert.equal(unknown.value, true);
    assert.equal(unknown.reason, 'ERROR');
    assert.equal(unknown.errorCode, 'FLAG_NOT_FOUND');
    // A flag with targeting: the provider caches STATIC results only, and a
    // cache hit would not ask the server about the type at all.
    const wrongType = await client().getStringDetails('productCatalogFailure', 'fallback');
    assert.equal(wrongType.value, 'fallback');
    assert.equal(wrongType.errorCode, 'TYPE_MISMATCH');
  });

  test('a change of the file reaches the provider past its cache (configuration_change)', async () => {
    // Served from the provider's cache the second time: STATIC results are cached.
    await client().getBooleanValue('recommendationCacheFailure', true);
    const cached = await client().getBooleanDetails('recommendationCacheFailure', true);
    assert.equal(cached.reason, 'CACHED');
    assert.equal(cached.value, false);

    const changed = new Promise<string[]>((resolve) =>
      OpenFeature.getClient('flagd-grpc-test').addHandler(ProviderEvents.ConfigurationChanged, (details) =>
        resolve(details?.flagsChanged ?? []),
      ),
    );
    writeFlags('on');
    assert.deepEqual(await changed, ['recommendationCacheFailure']);
    const after = await client().getBooleanDetails('recommendationCacheFailure', false);
    assert.equal(after.value, true);
    assert.equal(after.variant, 'on');
    assert.equal(after.reason, 'STATIC');
  });

  test('the same port still answers Connect JSON over HTTP/1 (the browser path)', async () => {
    const res = await fetch(
      `http://127.0.0.1:${server.ports.evaluation}/flagd.evaluation.v1.Service/ResolveBoolean`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"flagKey":"recommendationCacheFailure"}',
      },
    );
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { value: boolean }).value, true);
    assert.ok(server.alive());
  });
});
