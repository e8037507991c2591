// A consumer that kafkajs restarts (or that we replace after a crash) rejoins
// its group under the member id it had, instead of as a stranger.
//
// Why: after a broker restart the group coordinator reloads the group with our
// previous member in it. kafkajs builds a fresh ConsumerGroup (member id null)
// on every restart, and a join under a new id makes the coordinator wait for
// the old member until its session expires (6 s): accounting took the orders
// held during a Kafka outage 6-7 s after the broker was back (make faults),
// against a 10 s bound, and the same wait follows any crash-restart of the
// consumer. Rejoining as the old member, the coordinator sees its only member
// return and completes the rebalance at once. An id it no longer knows is
// answered UNKNOWN_MEMBER_ID; kafkajs then clears it and joins afresh
// (consumerGroup.js joinAndSync), and it is forgotten here.
//
// Only for groups registered with `reuseMemberId`, each consumed by ONE
// consumer per process (two consumers sharing an id would be one member).
import { createRequire } from 'node:module';

interface ConsumerGroup {
  groupId: string;
  memberId: string | null;
  generationId: number | null;
  joinAndSync(): Promise<void>;
}

const { prototype } = createRequire(import.meta.url)('kafkajs/src/consumer/consumerGroup.js') as {
  prototype: ConsumerGroup;
};
const joinAndSync = prototype.joinAndSync;
if (!joinAndSync) throw new Error('kafkajs ConsumerGroup has no joinAndSync: recheck member-id.ts');

/** groupId → the member id of its last successful join (undefined: none yet). */
const lastMemberId = new Map<string, string | undefined>();

/** Makes every later (re)start of this group's consumer rejoin under its previous member id. */
export function reuseMemberId(groupId: string): void {
  if (!lastMemberId.has(groupId)) lastMemberId.set(groupId, undefined);
}

prototype.joinAndSync = async function (this: ConsumerGroup) {
  if (!lastMemberId.has(this.groupId)) return joinAndSync.call(this);
  const previous = lastMemberId.get(this.groupId);
  // Only a group object that never joined: after a join kafkajs manages the id itself.
  if (previous && this.memberId === null && this.generationId === null) this.memberId = previous;
  try {
    return await joinAndSync.call(this);
  } finally {
    // Joined: its id. Refused as unknown: kafkajs cleared it, so forget it. Broker away: kept.
    lastMemberId.set(this.groupId, this.memberId ?? undefined);
  }
};
