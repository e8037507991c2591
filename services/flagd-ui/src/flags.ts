// The flag file's rules: shape (a subset of flagd's flags.json schema, checked
// with ajv) plus what a schema cannot say (defaultVariant and targeting
// results must name a variant), and how the dashboard switches a variant.
import { NUMBER_FLAG_BOUNDS } from '@astroshop/flags/bounds';
import { Ajv, type ErrorObject } from 'ajv';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Flag {
  state: 'ENABLED' | 'DISABLED';
  variants: Record<string, Json>;
  defaultVariant: string | null;
  description?: string;
  targeting?: Record<string, Json>;
  metadata?: Record<string, Json>;
}

export interface FlagConfig {
  $schema?: string;
  flags: Record<string, Flag>;
  $evaluators?: Record<string, Json>;
  metadata?: Record<string, Json>;
}

const variantsOf = (type: string | object) => ({
  type: 'object',
  minProperties: 1,
  additionalProperties: typeof type === 'string' ? { type } : type,
});

// Written from flagd's published schema (https://flagd.dev/schema/v0/flags.json),
// reduced to what the shop's file uses; unknown keys are rejected so typos
// (`defaultVarient`) fail loudly instead of being ignored by flagd.
export const FLAGS_SCHEMA = {
  $id: 'astroshop/flagd-flags',
  type: 'object',
  required: ['flags'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    flags: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
      additionalProperties: {
        type: 'object',
        required: ['state', 'variants', 'defaultVariant'],
        additionalProperties: false,
        properties: {
          state: { enum: ['ENABLED', 'DISABLED'] },
          description: { type: 'string' },
          defaultVariant: { type: ['string', 'null'] },
          // flagd requires every variant of a flag to have the same type.
          variants: {
            oneOf: [
              variantsOf('boolean'),
              variantsOf('string'),
              variantsOf('number'),
              variantsOf({ type: ['object', 'array'] }),
            ],
          },
          targeting: { type: 'object' },
          metadata: { type: 'object' },
        },
      },
    },
    $evaluators: { type: 'object' },
    metadata: { type: 'object' },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateShape = ajv.compile(FLAGS_SCHEMA);

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'oneOf' && where.endsWith('/variants')) {
    return `${where}: variants must all be booleans, all strings, all numbers or all objects`;
  }
  return `${where}: ${error.message ?? 'invalid'}`;
}

/** Every problem with `data` as a flag file; empty when valid. */
export function validateConfig(data: unknown): string[] {
  if (!validateShape(data)) {
    // oneOf reports each failed branch; the summary line above says enough.
    const errors = (validateShape.errors ?? []).filter(
      (e) => !(e.instancePath.includes('/variants/') && e.schemaPath.includes('oneOf')),
    );
    return [...new Set(errors.map(describe))];
  }
  const problems: string[] = [];
  const config = data as FlagConfig;
  for (const [key, flag] of Object.entries(config.flags)) {
    const names = Object.keys(flag.variants);
    if (flag.defaultVariant !== null && !names.includes(flag.defaultVariant)) {
      problems.push(
        `/flags/${key}/defaultVariant: "${flag.defaultVariant}" is not one of its variants (${names.join(', ')})`,
      );
    }
    const bounds = Object.hasOwn(NUMBER_FLAG_BOUNDS, key) ? NUMBER_FLAG_BOUNDS[key] : undefined;
    for (const [name, value] of Object.entries(flag.variants)) {
      if (typeof value === 'number' && bounds && (value < bounds[0] || value > bounds[1]))
        problems.push(`/flags/${key}/variants/${name}: ${value} is outside ${bounds[0]}..${bounds[1]}`);
    }
    const branches = ifOf(flag);
    if (branches) {
      for (const [i, branch] of branches.slice(1).entries()) {
        if (typeof branch === 'string' && !names.includes(branch)) {
          problems.push(`/flags/${key}/targeting/if/${i + 1}: "${branch}" is not one of its variants`);
        }
      }
    }
  }
  return problems;
}

/** The top-level `if` of a flag's targeting when it is the simple 3-element form. */
function ifOf(flag: Flag): Json[] | undefined {
  const rule = flag.targeting?.if;
  return Array.isArray(rule) && rule.length === 3 ? rule : undefined;
}

/**
 * Where the dashboard's variant lives. The original's productCatalogFailure
 * ships `if [cond, "off", "off"]` and its UI edits the "then" branch; ours
 * ships `if [cond, null, "off"]` (null = fall back to defaultVariant), so the
 * switch must move defaultVariant. A string "then" branch means the former.
 */
export function switchTarget(flag: Flag): 'then-branch' | 'defaultVariant' {
  const branches = ifOf(flag);
  return branches && typeof branches[1] === 'string' ? 'then-branch' : 'defaultVariant';
}

/** The variant the dashboard shows as selected. */
export function currentVariant(flag: Flag): string | null {
  const branches = ifOf(flag);
  return switchTarget(flag) === 'then-branch' ? (branches?.[1] as string) : flag.defaultVariant;
}

export class UnknownFlagError extends Error {
  override name = 'UnknownFlagError';
}

/** A copy of `config` with `key` switched to `variant` (rules: `switchTarget`). */
export function switchVariant(config: FlagConfig, key: string, variant: string): FlagConfig {
  const flag = Object.hasOwn(config.flags, key) ? config.flags[key] : undefined;
  if (!flag) throw new UnknownFlagError(`flag "${key}" does not exist`);
  if (!Object.hasOwn(flag.variants, variant)) {
    throw new UnknownFlagError(
      `flag "${key}" has no variant "${variant}" (variants: ${Object.keys(flag.variants).join(', ')})`,
    );
  }
  const next = structuredClone(config);
  const target = next.flags[key] as Flag;
  if (switchTarget(flag) === 'then-branch') {
    (ifOf(target) as Json[])[1] = variant;
  } else {
    target.defaultVariant = variant;
  }
  return next;
}

export const serialize = (config: FlagConfig): string => `${JSON.stringify(config, null, 2)}\n`;
