// Property-based inputs for every method of the contract (protos/demo.proto).
// Each method is served by a gRPC process, or — like the original's shipping
// and email — as JSON over HTTP; SERVED says which. A method of a service
// missing here fails the run (so a new service cannot go unfuzzed).
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import fc from 'fast-check';
import { httpCall } from './http-call.ts';
import {
  type FailureKind,
  grpcStatusName,
  judgeGrpc,
  judgeHttp,
  REPLY_BOUND_MS,
  show,
  type Tally,
} from './oracle.ts';
import { type Contract, type Hints, InputBuilder, type MethodInfo, toJsonValue } from './proto-inputs.ts';
import { HOST, TARGETS, type Target, type TargetName } from './targets.ts';

type Served = { grpc: TargetName } | { http: TargetName; routes: Record<string, string> };

export const SERVED: Record<string, Served> = {
  'oteldemo.CartService': { grpc: 'cart' },
  'oteldemo.RecommendationService': { grpc: 'recommendation' },
  'oteldemo.ProductCatalogService': { grpc: 'product-catalog' },
  'oteldemo.CurrencyService': { grpc: 'currency' },
  'oteldemo.PaymentService': { grpc: 'payment' },
  'oteldemo.CheckoutService': { grpc: 'checkout' },
  'oteldemo.AdService': { grpc: 'ad' },
  // The original's shipping and email speak the contract's messages as JSON over HTTP.
  'oteldemo.ShippingService': {
    http: 'shipping',
    routes: { GetQuote: '/get-quote', ShipOrder: '/ship-order' },
  },
  'oteldemo.EmailService': { http: 'email', routes: { SendOrderConfirmation: '/send_order_confirmation' } },
};

export interface MethodPlan {
  group: string;
  target: Target;
  run: (tally: Tally) => Promise<void>;
}

/** One plan per method; problems (a method without a server) are returned for the tally. */
export function grpcPlans(
  contract: Contract,
  hints: Hints,
  options: {
    seed: number;
    runs: number;
    host?: string;
    served?: Record<string, Served>;
    targets?: Record<string, Target>;
  },
): { plans: MethodPlan[]; problems: string[] } {
  const served = options.served ?? SERVED;
  const targets = options.targets ?? TARGETS;
  const host = options.host ?? HOST;
  const grpcInputs = new InputBuilder(contract.definition, 'grpc', hints);
  const jsonInputs = new InputBuilder(contract.definition, 'json', hints);
  const plans: MethodPlan[] = [];
  const problems: string[] = [];
  contract.methods.forEach((method, index) => {
    const how = served[method.service];
    const group = `${method.service.replace(/^oteldemo\./, '')}/${method.method}`;
    if (!how) {
      problems.push(`${method.path}: no server declared in SERVED (test/robustness/grpc-suite.ts)`);
      return;
    }
    // A different seed per method, derived from the run's seed: adding a method does not reshuffle the others.
    const seed = options.seed + index * 7919;
    if ('grpc' in how) {
      const target = targets[how.grpc] as Target;
      const samples = fc.sample(grpcInputs.message(method.requestType), { seed, numRuns: options.runs });
      plans.push({ group, target, run: (tally) => fuzzGrpc(tally, group, host, target, method, samples) });
    } else {
      const route = how.routes[method.method];
      const target = targets[how.http] as Target;
      if (!route) {
        problems.push(`${method.path}: ${how.http} serves it over HTTP but SERVED has no route for it`);
        return;
      }
      const bodies = fc.sample(jsonBody(jsonInputs.message(method.requestType)), {
        seed,
        numRuns: options.runs,
      });
      plans.push({
        group,
        target,
        run: async (tally) => {
          for (const body of bodies) {
            const out = await httpCall(
              host,
              target.port,
              { method: 'POST', path: route, headers: { 'content-type': 'application/json' }, body },
              REPLY_BOUND_MS,
            );
            if (out.unsent) continue;
            tally.input(group);
            tally.outcome(group, String(out.status ?? 'none'));
            const kind = judgeHttp(out.status, out.error);
            if (kind)
              tally.fail(
                group,
                kind,
                `POST ${route} ${show(body)}`,
                out.status ? `${out.status} ${show(out.body)}` : (out.error ?? ''),
              );
          }
        },
      });
    }
  });
  return { plans, problems };
}

/** A JSON body: mostly the message (snake_case), sometimes any JSON value or broken text. */
export function jsonBody(message: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: message.map((m) => JSON.stringify(toJsonValue(m))) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"a":',
        'null',
        '[]',
        '"x"',
        '\u0000',
        '{"__proto__":{"x":1}}',
        `[${'['.repeat(5000)}`,
      ),
    },
  );
}

async function fuzzGrpc(
  tally: Tally,
  group: string,
  host: string,
  target: Target,
  method: MethodInfo,
  samples: Record<string, unknown>[],
) {
  const client = new Client(`${host}:${target.port}`, credentials.createInsecure());
  try {
    for (const value of samples) {
      let bytes: Buffer;
      try {
        bytes = method.serialize(value);
      } catch {
        continue; // protobufjs refused to encode it: never reaches the server, not an input
      }
      tally.input(group);
      const error = await callRaw(client, method.path, bytes);
      tally.outcome(group, error ? grpcStatusName(error.code) : 'OK');
      if (!error) continue;
      const kind: FailureKind | null = judgeGrpc(error.code);
      if (kind)
        tally.fail(
          group,
          kind,
          `${method.path} ${show(value)}`,
          `${grpcStatusName(error.code)}: ${show(error.details)}`,
        );
    }
  } finally {
    client.close();
  }
}

function callRaw(client: Client, path: string, bytes: Buffer): Promise<ServiceError | null> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      new Metadata(),
      { deadline: Date.now() + REPLY_BOUND_MS },
      (error) => resolve(error ?? null),
    );
  });
}
