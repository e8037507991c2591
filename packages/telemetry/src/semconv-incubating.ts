// The incubating semantic-convention names the shop uses, copied here as the
// semantic-conventions package advises for runtime code: its `/incubating`
// entry point may change in minor releases, and loading it costs each process
// ~10 MiB RSS and ~40 ms at start (measured with Node 24; the stable entry,
// which sdk-node loads anyway, is imported directly). Each constant has the
// package's own export name, and test/semconv.test.ts checks every value
// against `@opentelemetry/semantic-conventions/incubating`, so a copy cannot drift.

export const ATTR_CPU_MODE = 'cpu.mode' as const;
export const CPU_MODE_VALUE_USER = 'user' as const;
export const CPU_MODE_VALUE_SYSTEM = 'system' as const;
export const ATTR_ENDUSER_ID = 'enduser.id' as const;
export const ATTR_EVENT_NAME = 'event.name' as const;
export const ATTR_KAFKA_OFFSET = 'kafka.offset' as const;
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name' as const;
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name' as const;
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id' as const;
export const ATTR_MESSAGING_KAFKA_DESTINATION_PARTITION = 'messaging.kafka.destination.partition' as const;
export const ATTR_MESSAGING_KAFKA_MESSAGE_OFFSET = 'messaging.kafka.message.offset' as const;
export const ATTR_MESSAGING_OPERATION = 'messaging.operation' as const;
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name' as const;
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type' as const;
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send' as const;
export const ATTR_MESSAGING_SYSTEM = 'messaging.system' as const;
export const MESSAGING_SYSTEM_VALUE_KAFKA = 'kafka' as const;
export const ATTR_PEER_SERVICE = 'peer.service' as const;
export const ATTR_SERVER_SERVICE_NAME = 'server.service.name' as const;
export const ATTR_SESSION_ID = 'session.id' as const;
export const ATTR_USER_AGENT_SYNTHETIC_TYPE = 'user_agent.synthetic.type' as const;
export const ATTR_USER_EMAIL = 'user.email' as const;
export const ATTR_USER_ID = 'user.id' as const;
export const METRIC_PROCESS_CPU_TIME = 'process.cpu.time' as const;
export const METRIC_PROCESS_MEMORY_USAGE = 'process.memory.usage' as const;
