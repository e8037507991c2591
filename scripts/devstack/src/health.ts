// Health probes: TCP connect, HTTP 2xx, grpc.health.v1 Check("") == SERVING,
// or a command exiting 0. Each resolves to true/false and never throws.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { connect } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { Health } from './components/index.ts';

export function tcpCheck(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * GET `url`, healthy on 2xx. node:http rather than fetch: a probe costs the
 * supervisor ~1 ms of CPU instead of ~4.5 ms (it runs one per component per
 * period). A fresh connection each time: a kept-alive socket the server closes
 * between probes would fail the next one.
 */
export function httpCheck(url: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: noKeepAlive, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
      res.once('error', () => resolve(false));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
const noKeepAlive = new http.Agent({ keepAlive: false });

const clients = new Map<string, grpc.Client>();

/** HealthCheckRequest { string service = 1; } on the wire ('' is the empty message). */
function healthRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  return name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, name.length]), name]);
}

/** grpc.health.v1.Health/Check for `service` ('' = the server's overall readiness). */
export function grpcHealthCheck(address: string, timeoutMs = 2000, service = ''): Promise<boolean> {
  let client = clients.get(address);
  if (!client) {
    client = new grpc.Client(address, grpc.credentials.createInsecure());
    clients.set(address, client);
  }
  const c = client;
  return new Promise((resolve) => {
    c.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      () => healthRequest(service),
      (buf: Buffer) => buf,
      {},
      { deadline: Date.now() + timeoutMs },
      (err, value) => {
        if (err || !value) return resolve(false);
        // HealthCheckResponse { ServingStatus status = 1; } SERVING = 1.
        resolve(value.length >= 2 && value[0] === 0x08 && value[1] === 1);
      },
    );
  });
}

export function commandCheck(argv: string[], timeoutMs = 5000): Promise<boolean> {
  const [file, ...args] = argv;
  if (!file) return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs }, (err) => resolve(!err));
  });
}

export function check(health: Health, upSinceMs: number): Promise<boolean> {
  switch (health.kind) {
    case 'tcp':
      return tcpCheck(health.port);
    case 'http':
      return httpCheck(health.url);
    case 'grpc':
      return grpcHealthCheck(health.address, 2000, health.service);
    case 'command':
      return commandCheck(health.argv);
    case 'process':
      return Promise.resolve(Date.now() - upSinceMs >= health.upForMs);
  }
}

export function closeHealthClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}
