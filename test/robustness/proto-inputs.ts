// Inputs for every method of protos/demo.proto, generated from its descriptors
// (@grpc/proto-loader): a new service, method or field is covered without
// touching this file. Values are client-shaped: edge and random values per
// field type (huge, negative, NaN-ish, empty, very long, unicode), any field
// may be missing, lists may be empty or very long. `json` mode (for the
// services that speak the contract as JSON over HTTP) also mixes in wrong types.
import { join } from 'node:path';
import { loadSync, type MessageTypeDefinition, type PackageDefinition } from '@grpc/proto-loader';
import fc from 'fast-check';
import { REPO_ROOT } from './targets.ts';

export const PROTO_FILE = join(REPO_ROOT, 'protos/demo.proto');

export interface MethodInfo {
  service: string; // oteldemo.CartService
  method: string; // AddItem
  path: string; // /oteldemo.CartService/AddItem
  requestType: string; // oteldemo.AddItemRequest
  serialize: (value: object) => Buffer;
}

interface FieldDescriptor {
  name: string;
  label: string;
  type: string;
  typeName: string;
}

export interface Contract {
  definition: PackageDefinition;
  methods: MethodInfo[];
}

/** The contract as proto-loader sees it: snake_case field names as in the .proto. */
export function loadContract(file = PROTO_FILE): Contract {
  const definition = loadSync(file, { keepCase: true, defaults: false, oneofs: true });
  const methods: MethodInfo[] = [];
  for (const [service, value] of Object.entries(definition)) {
    if ('format' in value) continue; // a message or enum, not a service
    if (service.startsWith('grpc.')) continue; // imported infrastructure (health), not ours
    for (const [method, def] of Object.entries(value)) {
      if (def.requestStream || def.responseStream) continue; // the contract has only unary calls
      methods.push({
        service,
        method,
        path: def.path,
        requestType: typeNameOf(def.requestType),
        serialize: def.requestSerialize as (value: object) => Buffer,
      });
    }
  }
  return { definition, methods };
}

function typeNameOf(message: MessageTypeDefinition<object, object>): string {
  const desc = message.type as { name: string };
  // The descriptor has the short name only; find the package entry that is this object.
  return desc.name;
}

/** Values from the running shop that make inputs reach deeper than validation. */
export interface Hints {
  productIds: string[];
  currencyCodes: string[];
}

const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'NaN',
  '-1',
  '1e309',
  '%',
  '%E0%A4%A',
  '../../../etc/passwd',
  '🚀🪐\u202e\uFEFF',
  '\uD800', // a lone surrogate: not encodable as UTF-8
  '<script>alert(1)</script>',
  "' OR 1=1 --",
];
/** Longer than any sane field (and than some servers' body limits). */
const LONG_STRING = 'x'.repeat(70_000);

const INT32_EDGES = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 1000, 1001, 10_000, 10_001, 99_999];
const UINT32_EDGES = [0, 1, 2 ** 32 - 1, 2 ** 31, 10_000, 10_001];
const INT64_EDGES = [
  '0',
  '-1',
  '9223372036854775807',
  '-9223372036854775808',
  '9007199254740993',
  '1000000000000',
];
const DOUBLE_EDGES = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, 5e-324];
/** Wrong-typed JSON values, only in `json` mode. */
const WRONG_JSON = [null, true, 'NaN', '1e999', [], {}, -1, '', '\u0000', 1.5, { $ne: 1 }];

export type Mode = 'grpc' | 'json';
type Flavor = 'hostile' | 'mostly-valid';

export class InputBuilder {
  private readonly cache = new Map<string, fc.Arbitrary<Record<string, unknown>>>();
  private readonly definition: PackageDefinition;
  private readonly mode: Mode;
  private readonly hints: Hints;
  constructor(definition: PackageDefinition, mode: Mode, hints: Hints) {
    this.definition = definition;
    this.mode = mode;
    this.hints = hints;
  }

  /**
   * Requests for the message `typeName` (short or full name): half entirely
   * hostile, half valid but for the odd hostile field, so bad values also
   * reach the code behind the first validation (a huge quantity in an
   * otherwise fine AddItem, a bad CVV on an otherwise valid card).
   */
  message(typeName: string): fc.Arbitrary<Record<string, unknown>> {
    return fc.oneof(this.flavored(typeName, 0, 'hostile'), this.flavored(typeName, 0, 'mostly-valid'));
  }

  private flavored(typeName: string, depth: number, flavor: Flavor): fc.Arbitrary<Record<string, unknown>> {
    const full = this.resolve(typeName);
    const key = `${full}@${depth}/${flavor}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const entry = this.definition[full] as MessageTypeDefinition<unknown, unknown>;
    const fields = ((entry.type as { field?: FieldDescriptor[] }).field ?? []) as FieldDescriptor[];
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) shape[field.name] = this.field(field, depth, flavor);
    // Hostile: every key optional ("missing fields" are part of the input space).
    const arb = fc.record(shape, {
      requiredKeys: flavor === 'hostile' ? [] : fields.map((f) => f.name),
    }) as fc.Arbitrary<Record<string, unknown>>;
    this.cache.set(key, arb);
    return arb;
  }

  private resolve(typeName: string): string {
    const name = typeName.replace(/^\./, '');
    if (this.definition[name]) return name;
    const found = Object.keys(this.definition).find((k) => k.endsWith(`.${name}`));
    if (!found) throw new Error(`message type ${typeName} is not in the contract`);
    return found;
  }

  private field(field: FieldDescriptor, depth: number, flavor: Flavor): fc.Arbitrary<unknown> {
    const one = this.single(field, depth, flavor);
    if (field.label !== 'LABEL_REPEATED') return one;
    return fc.oneof(
      { weight: 8, arbitrary: fc.array(one, { minLength: flavor === 'hostile' ? 0 : 1, maxLength: 6 }) },
      // Very long lists: one value repeated, so the input stays cheap to build.
      { weight: 1, arbitrary: one.map((v) => Array.from({ length: 3000 }, () => v)) },
    );
  }

  private single(field: FieldDescriptor, depth: number, flavor: Flavor): fc.Arbitrary<unknown> {
    const hostile = this.typed(field, depth);
    const base =
      flavor === 'hostile'
        ? hostile
        : fc.oneof({ weight: 12, arbitrary: this.sane(field, depth) }, { weight: 1, arbitrary: hostile });
    return this.mode === 'json'
      ? fc.oneof({ weight: 6, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_JSON) })
      : base;
  }

  /** A value the shop accepts for this field (by type and name). */
  private sane(field: FieldDescriptor, depth: number): fc.Arbitrary<unknown> {
    const { name } = field;
    const number = (): fc.Arbitrary<number> => {
      if (/quantity/.test(name)) return fc.integer({ min: 1, max: 3 });
      if (/month/.test(name)) return fc.integer({ min: 1, max: 12 });
      if (/year/.test(name)) return fc.constant(new Date().getUTCFullYear() + 3);
      if (/cvv/.test(name)) return fc.constant(123);
      if (/nanos/.test(name)) return fc.constantFrom(0, 500_000_000);
      if (/units/.test(name)) return fc.integer({ min: 0, max: 100 });
      return fc.constant(1);
    };
    switch (field.type) {
      case 'TYPE_STRING':
        return this.saneString(name);
      case 'TYPE_BYTES':
        return fc.constant(this.mode === 'json' ? '' : Buffer.alloc(0));
      case 'TYPE_BOOL':
        return fc.constant(false);
      case 'TYPE_ENUM':
        return fc.constant(0);
      case 'TYPE_DOUBLE':
      case 'TYPE_FLOAT':
        return fc.constant(1);
      case 'TYPE_MESSAGE':
        return depth >= 3
          ? fc.constant({})
          : fc.constant(null).chain(() => this.flavored(field.typeName, depth + 1, 'mostly-valid'));
      default:
        // Every integer type; 64-bit ones as strings, as protobufjs and ts-proto's fromJSON take them.
        return /64/.test(field.type) ? number().map(String) : number();
    }
  }

  private saneString(name: string): fc.Arbitrary<string> {
    const { productIds, currencyCodes } = this.hints;
    if (/product_id/.test(name) && productIds.length) return fc.constantFrom(...productIds);
    if (/currency/.test(name))
      return fc.constantFrom(
        ...['USD', 'EUR', 'CAD'].filter((c) => !currencyCodes.length || currencyCodes.includes(c)),
      );
    if (/email/.test(name)) return fc.constant('someone@example.com');
    if (/credit_card_number/.test(name)) return fc.constant('4432801561520454');
    if (/user_id|session/.test(name)) return fc.constant('robustness-user');
    if (/country/.test(name)) return fc.constantFrom('United States', 'Germany');
    if (/zip/.test(name)) return fc.constant('94043');
    return fc.constantFrom('robustness', 'Mountain View', 'CA');
  }

  private typed(field: FieldDescriptor, depth: number): fc.Arbitrary<unknown> {
    switch (field.type) {
      case 'TYPE_STRING':
        return this.string(field.name);
      case 'TYPE_BYTES':
        return fc
          .uint8Array({ maxLength: 64 })
          .map((b) => (this.mode === 'json' ? Buffer.from(b).toString('base64') : Buffer.from(b)));
      case 'TYPE_BOOL':
        return fc.boolean();
      case 'TYPE_INT32':
      case 'TYPE_SINT32':
      case 'TYPE_SFIXED32':
        return fc.oneof(fc.constantFrom(...INT32_EDGES), fc.integer());
      case 'TYPE_UINT32':
      case 'TYPE_FIXED32':
        return fc.oneof(fc.constantFrom(...UINT32_EDGES), fc.nat());
      case 'TYPE_INT64':
      case 'TYPE_SINT64':
      case 'TYPE_SFIXED64':
      case 'TYPE_UINT64':
      case 'TYPE_FIXED64': {
        const unsigned = field.type === 'TYPE_UINT64' || field.type === 'TYPE_FIXED64';
        const edges = unsigned ? INT64_EDGES.filter((v) => !v.startsWith('-')) : INT64_EDGES;
        const big = unsigned
          ? fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })
          : fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
        return fc.oneof(
          fc.constantFrom(...edges),
          fc.integer({ min: -1000, max: 1000 }).map(String),
          big.map(String),
        );
      }
      case 'TYPE_DOUBLE':
      case 'TYPE_FLOAT':
        return fc.oneof(fc.constantFrom(...DOUBLE_EDGES), fc.double());
      case 'TYPE_ENUM':
        return fc.integer({ min: -1, max: 8 });
      case 'TYPE_MESSAGE':
        // Recursion is cut off at depth 3 (the contract nests at most three deep anyway).
        return depth >= 3
          ? fc.constant({})
          : fc.constant(null).chain(() => this.flavored(field.typeName, depth + 1, 'hostile'));
      default:
        throw new Error(`field ${field.name}: type ${field.type} has no generator; add one here`);
    }
  }

  /** Strings: edge cases, random unicode, and (by field name) realistic values that get past validation. */
  private string(name: string): fc.Arbitrary<string> {
    const random = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
      { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
      { weight: 1, arbitrary: fc.constant(LONG_STRING) },
    );
    const realistic = this.realistic(name);
    return realistic
      ? fc.oneof({ weight: 2, arbitrary: random }, { weight: 3, arbitrary: realistic })
      : random;
  }

  private realistic(name: string): fc.Arbitrary<string> | null {
    const { productIds, currencyCodes } = this.hints;
    const first = productIds[0];
    if (/product_id/.test(name) && first)
      return fc.constantFrom(...productIds, `${first} `, first.toLowerCase());
    if (/currency/.test(name))
      return fc.constantFrom(...(currencyCodes.length ? currencyCodes : ['USD']), 'usd', 'XXX', 'EURO');
    if (/email/.test(name))
      return fc.constantFrom('someone@example.com', 'a@b', '@', `${'x'.repeat(400)}@example.com`);
    if (/credit_card_number/.test(name))
      return fc.constantFrom(
        '4432801561520454',
        ' 4432 8015 6152 0454 ',
        '4432-8015-6152-0454',
        '4432801561520455',
        '0000000000000000',
        '1'.repeat(40),
      );
    if (/user_id|session/.test(name))
      return fc.constantFrom('robustness-user', 'robustness-00000000-0000-0000-0000-000000000000');
    if (/country/.test(name)) return fc.constantFrom('United States', 'US', 'Germany', '');
    if (/zip/.test(name)) return fc.constantFrom('94043', '00000', '-1', '1'.repeat(50));
    return null;
  }
}

/** snake_case keys as the HTTP hops of the contract send them (ts-proto's fromJSON accepts both). */
export function toJsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  return value;
}
