import { OrderResult } from '@astroshop/proto';

/** A record that can never be processed; retrying it would block the partition forever. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

/** Decodes the binary protobuf `OrderResult` that checkout publishes (spec §1.3). */
export function decodeOrderResult(value: Buffer | null | undefined): OrderResult {
  if (!value || value.length === 0) throw new PoisonMessageError('record has no value');
  try {
    return OrderResult.decode(value);
  } catch (error) {
    throw new PoisonMessageError(`record is not a protobuf OrderResult: ${(error as Error).message}`);
  }
}

export function encodeOrderResult(order: OrderResult): Buffer {
  return Buffer.from(OrderResult.encode(order).finish());
}
