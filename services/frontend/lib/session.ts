// localStorage['session'] = {userId, currencyCode} (spec §4.5). Anything
// missing, unparsable or malformed is replaced by a fresh default.

export interface Session {
  userId: string;
  currencyCode: string;
}

export const SESSION_KEY = 'session';
export const DEFAULT_CURRENCY = 'USD';

/** A v4 UUID; works outside secure contexts (plain-http hosts lack randomUUID). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function isSession(value: unknown): value is Session {
  if (!value || typeof value !== 'object') return false;
  const { userId, currencyCode } = value as Record<string, unknown>;
  return (
    typeof userId === 'string' &&
    /^[\w-]{1,128}$/.test(userId) &&
    typeof currencyCode === 'string' &&
    /^[A-Z]{3}$/.test(currencyCode)
  );
}

export function loadSession(storage: Storage = window.localStorage): Session {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null');
    if (isSession(parsed)) return { userId: parsed.userId, currencyCode: parsed.currencyCode };
  } catch {
    // corrupted: replaced below
  }
  const fresh = { userId: uuid(), currencyCode: DEFAULT_CURRENCY };
  saveSession(fresh, storage);
  return fresh;
}

export function saveSession(session: Session, storage: Storage = window.localStorage): void {
  try {
    storage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // storage full or disabled: the session lives for this page only
  }
}
