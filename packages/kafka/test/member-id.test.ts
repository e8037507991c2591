// A restarted consumer rejoins as its previous member (src/member-id.ts):
// kafkajs's own ConsumerGroup, driven against a fake coordinator that records
// the member id each JoinGroup carries.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { reuseMemberId } from '../src/member-id.ts';

interface Group {
  memberId: string | null;
  joinAndSync(): Promise<void>;
}
const ConsumerGroup = createRequire(import.meta.url)('kafkajs/src/consumer/consumerGroup.js') as new (
  options: object,
) => Group;
const silent = { debug() {}, info() {}, warn() {}, error() {}, namespace: () => silent };

/** What JoinGroup carried, call by call; `answers` says how each call ends (`ok` joins as `given`). */
function coordinator(answers: ('ok' | 'unknown-member' | 'down')[], given: string) {
  const joins: string[] = [];
  const joinGroup = async ({ memberId }: { memberId: string }) => {
    joins.push(memberId);
    const answer = answers[joins.length - 1] ?? 'down';
    if (answer === 'unknown-member')
      throw Object.assign(new Error('The coordinator is not aware of this member'), {
        type: 'UNKNOWN_MEMBER_ID',
      });
    if (answer === 'down') throw new Error('broker away');
    return {
      generationId: 1,
      leaderId: 'other',
      memberId: given,
      members: [],
      groupProtocol: 'RoundRobinAssigner',
    };
  };
  const fake = {
    joinGroup,
    // A follower's sync: an empty assignment.
    syncGroup: async () => ({ memberAssignment: Buffer.alloc(0) }),
  };
  return { joins, fake };
}

/** A fresh ConsumerGroup, as kafkajs builds on every (re)start of a consumer. */
function freshGroup(groupId: string, fake: object): Group {
  return new ConsumerGroup({
    groupId,
    topics: [],
    topicConfigurations: {},
    logger: silent,
    retry: { retries: 1, initialRetryTime: 1, maxRetryTime: 1 },
    cluster: {
      findGroupCoordinator: async () => fake,
      refreshMetadata: async () => undefined,
      committedOffsets: () => ({}),
    },
    instrumentationEmitter: { emit() {} },
    assigners: [],
    sessionTimeout: 6000,
    rebalanceTimeout: 60_000,
  });
}

test('a restarted consumer of a registered group rejoins under its previous member id', async () => {
  reuseMemberId('g-restart');
  const first = coordinator(['ok'], 'member-1');
  await freshGroup('g-restart', first.fake).joinAndSync();
  assert.deepEqual(first.joins, [''], 'the first join ever is anonymous');

  const second = coordinator(['ok'], 'member-1');
  await freshGroup('g-restart', second.fake).joinAndSync();
  assert.deepEqual(second.joins, ['member-1']);
});

test('negative control: without registration a restarted consumer joins as a stranger (the 6 s wait)', async () => {
  const first = coordinator(['ok'], 'member-1');
  await freshGroup('g-plain', first.fake).joinAndSync();
  const second = coordinator(['ok'], 'member-2');
  await freshGroup('g-plain', second.fake).joinAndSync();
  assert.deepEqual(second.joins, ['']);
});

test('an id the coordinator no longer knows is dropped: kafkajs joins afresh and that id is kept instead', async () => {
  reuseMemberId('g-stale');
  await freshGroup('g-stale', coordinator(['ok'], 'member-1').fake).joinAndSync();
  const stale = coordinator(['unknown-member', 'ok'], 'member-2');
  await freshGroup('g-stale', stale.fake).joinAndSync();
  assert.deepEqual(stale.joins, ['member-1', '']);
  const next = coordinator(['ok'], 'member-2');
  await freshGroup('g-stale', next.fake).joinAndSync();
  assert.deepEqual(next.joins, ['member-2']);
});

test('a join that fails while the broker is away keeps the id for the next attempt', async () => {
  reuseMemberId('g-away');
  await freshGroup('g-away', coordinator(['ok'], 'member-1').fake).joinAndSync();
  const away = coordinator(['down'], 'member-1');
  await assert.rejects(freshGroup('g-away', away.fake).joinAndSync());
  const back = coordinator(['ok'], 'member-1');
  await freshGroup('g-away', back.fake).joinAndSync();
  assert.deepEqual(back.joins, ['member-1']);
});
