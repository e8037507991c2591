import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoney, isMoney, multiply, totalOf } from '../lib/money.ts';
import { isSynthetic, runtimeEnv } from '../lib/runtime-env.ts';
import { isSession, loadSession, SESSION_KEY } from '../lib/session.ts';

describe('browser money', () => {
  it('sums exactly with nanos carry and formats with symbols', () => {
    const a = { currencyCode: 'USD', units: 0, nanos: 990000000 };
    const total = totalOf('USD', [multiply(a, 3), { currencyCode: 'USD', units: 101, nanos: 960000000 }]);
    assert.deepEqual(total, { currencyCode: 'USD', units: 104, nanos: 930000000 });
    assert.equal(formatMoney(total), '$104.93');
    assert.equal(formatMoney({ currencyCode: 'EUR', units: 3183, nanos: 995000000 }), '€3,184.00');
    assert.equal(formatMoney({ currencyCode: 'USD', units: 0, nanos: 10_000_000 }), '$0.01');
    assert.equal(formatMoney({ currencyCode: 'CHF', units: 5, nanos: 0 }), 'CHF 5.00');
  });

  it("shows no total across currencies or of malformed money (an order URL is anyone's JSON)", () => {
    const usd = { currencyCode: 'USD', units: 1, nanos: 0 };
    assert.equal(totalOf('EUR', [usd]), undefined);
    assert.equal(totalOf('USD', [usd, { currencyCode: 'EUR', units: 1, nanos: 0 }]), undefined);
    assert.deepEqual(totalOf('USD', []), { currencyCode: 'USD', units: 0, nanos: 0 });
    const bad = { currencyCode: 'USD', units: 1.5, nanos: 0 };
    assert.equal(isMoney(bad), false);
    assert.equal(isMoney({ currencyCode: 'USD', units: 'x', nanos: 0 }), false);
    assert.equal(isMoney(usd), true);
    assert.equal(totalOf('USD', [bad]), undefined);
    assert.equal(formatMoney(bad), '');
  });
});

describe('session', () => {
  const storage = () => {
    const data = new Map<string, string>();
    return {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      data,
    } as unknown as Storage & { data: Map<string, string> };
  };

  it('recovers a corrupted stored session', () => {
    const s = storage();
    s.setItem(SESSION_KEY, '{not json');
    const session = loadSession(s);
    assert.ok(isSession(session));
    assert.equal(session.currencyCode, 'USD');
    assert.deepEqual(JSON.parse(s.getItem(SESSION_KEY)!), session);
    s.setItem(SESSION_KEY, JSON.stringify({ userId: 42 }));
    assert.notEqual(loadSession(s).userId, 42);
  });

  it('keeps a valid one', () => {
    const s = storage();
    s.setItem(SESSION_KEY, JSON.stringify({ userId: 'abc-1', currencyCode: 'EUR' }));
    assert.deepEqual(loadSession(s), { userId: 'abc-1', currencyCode: 'EUR' });
  });
});

describe('window.ENV', () => {
  it('reads synthetic_request from baggage and defaults the endpoint', () => {
    assert.equal(isSynthetic('session.id=1, synthetic_request=true'), true);
    assert.equal(isSynthetic('synthetic_request=false'), false);
    assert.equal(isSynthetic(undefined), false);
    const env = runtimeEnv({}, 'synthetic_request=true');
    assert.deepEqual(env, {
      NEXT_PUBLIC_PLATFORM: 'local',
      NEXT_PUBLIC_OTEL_SERVICE_NAME: 'frontend-web',
      NEXT_PUBLIC_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '/otlp-http/v1/traces',
      IS_SYNTHETIC_REQUEST: 'true',
    });
  });
});
