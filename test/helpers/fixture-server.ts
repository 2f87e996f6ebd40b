// A loopback HTTP server replaying llama-server captures in seeded random-size chunks, with failure behaviours.

import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixturePath } from './shared.js';

/** A response as captured: status line, headers in order, body bytes. */
export interface Capture {
  status: number;
  statusMessage: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** One answer of a route: a capture (by name or inline) and how to misbehave while sending it. */
export interface RouteStep {
  capture: string | Capture;
  /**
   * `stall`: send `afterEvents` SSE events, then nothing (the connection stays open).
   * `cutoff`: send `afterEvents` events and half of the next, then destroy the socket.
   * `garbage`: insert `garbageLine` after `afterEvents` events, then send the rest.
   * `crash`: as `cutoff`, then the whole server dies: every other response cut too, no new connection accepted.
   */
  behaviour?: 'stall' | 'cutoff' | 'garbage' | 'crash';
  /** Events sent before the behaviour kicks in; default half of the body's events. */
  afterEvents?: number;
  garbageLine?: string;
  /** Pause between chunks (overrides the server-wide value). */
  delayMs?: number;
}

/**
 * A capture name, a step, a sequence of them answered in turn (the last one repeats), or a choice per request
 * (given the request and how many came before it on this route).
 */
export type Route = string | RouteStep | Array<string | RouteStep> | ((request: RecordedRequest, index: number) => string | RouteStep);

export interface FixtureServerOptions {
  /** `"METHOD /path"` → route; anything else gets the captured 404. */
  routes: Record<string, Route>;
  /** PRNG seed for the chunk sizes (default 1). */
  seed?: number;
  /** Chunk sizes are drawn from 1..maxChunk bytes (default 64). */
  maxChunk?: number;
  /** Pause between chunks; 0 (default) still yields to the event loop between writes. */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

export interface FixtureStats {
  requests: RecordedRequest[];
  /** Responses being sent right now. */
  open: number;
  /** Most responses that were open at the same time. */
  maxConcurrent: number;
  /** Responses whose connection the client closed before the response was complete. */
  clientClosed: number;
  /** TCP connections accepted (fewer than requests when the client keeps connections alive). */
  connections: number;
}

export interface FixtureServer {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  stats: FixtureStats;
  close(): Promise<void>;
}

const DEFAULT_GARBAGE = 'dat {"index":0,"content":"oops","tokens":[1],"stop":false}\n\n';

/** Reads `NAME.headers` and the body (`NAME.sse` or `NAME.json`) of a capture. */
export function loadCapture(name: string): Capture {
  const [statusLine, ...lines] = readFileSync(fixturePath(`${name}.headers`), 'latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  if (!match) throw new Error(`${name}.headers: bad status line ${JSON.stringify(statusLine)}`);
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  const ssePath = fixturePath(`${name}.sse`);
  const body = readFileSync(existsSync(ssePath) ? ssePath : fixturePath(`${name}.json`));
  return { status: Number(match[1]), statusMessage: match[2], headers, body };
}

/** The JSON payloads of an SSE body, split naively (independent of the parser under test); `[DONE]` stays a string. */
export function sseEvents(body: Buffer): unknown[] {
  return body
    .toString('utf8')
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => (event === 'data: [DONE]' ? '[DONE]' : JSON.parse(event.slice('data: '.length))));
}

/** An SSE body from payloads, framed as llama-server frames them. */
export function toSse(events: unknown[]): Buffer {
  return Buffer.from(events.map((event) => `data: ${event === '[DONE]' ? event : JSON.stringify(event)}\n\n`).join(''));
}

/** mulberry32: small, seedable, good enough for chunk sizes. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Byte offset just past the `count`-th `\n\n` of an SSE body (the whole body if it has fewer events). */
function eventsEnd(body: Buffer, count: number): number {
  let end = 0;
  for (let i = 0; i < count; i++) {
    const next = body.indexOf('\n\n', end);
    if (next === -1) return body.length;
    end = next + 2;
  }
  return end;
}

function countEvents(body: Buffer): number {
  let count = 0;
  for (let at = body.indexOf('\n\n'); at !== -1; at = body.indexOf('\n\n', at + 2)) count++;
  return count;
}

export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const random = prng(options.seed ?? 1);
  const maxChunk = options.maxChunk ?? 64;
  const served = new Map<string, number>();
  const captures = new Map<string, Capture>();
  const stats: FixtureStats = { requests: [], open: 0, maxConcurrent: 0, clientClosed: 0, connections: 0 };

  const capture = (ref: string | Capture): Capture => {
    if (typeof ref !== 'string') return ref;
    let loaded = captures.get(ref);
    if (!loaded) captures.set(ref, (loaded = loadCapture(ref)));
    return loaded;
  };

  const nextStep = (key: string, request: RecordedRequest): RouteStep => {
    const route = options.routes[key] ?? 'error-404';
    const index = served.get(key) ?? 0;
    served.set(key, index + 1);
    const steps = typeof route === 'function' ? [route(request, index)] : Array.isArray(route) ? route : [route];
    const step = steps[Math.min(index, steps.length - 1)];
    return typeof step === 'string' ? { capture: step } : step;
  };

  const send = async (res: ServerResponse, bytes: Buffer, delayMs: number): Promise<void> => {
    for (let at = 0; at < bytes.length && !res.destroyed; ) {
      const size = 1 + Math.floor(random() * maxChunk);
      res.write(bytes.subarray(at, at + size));
      at += size;
      await (delayMs > 0 ? sleep(delayMs) : new Promise<void>((done) => setImmediate(done)));
    }
  };

  const respond = async (req: IncomingMessage, res: ServerResponse, step: RouteStep): Promise<void> => {
    const { status, statusMessage, headers, body: captured } = capture(step.capture);
    const delayMs = step.delayMs ?? options.delayMs ?? 0;
    const afterEvents = step.afterEvents ?? Math.floor(countEvents(captured) / 2);
    const cut = eventsEnd(captured, afterEvents);
    let body = captured;
    if (step.behaviour === 'garbage') {
      const garbage = Buffer.from(step.garbageLine ?? DEFAULT_GARBAGE);
      body = Buffer.concat([captured.subarray(0, cut), garbage, captured.subarray(cut)]);
    }
    // Content-Length follows the body actually sent (inline variants and garbage change it).
    const flat = headers.flatMap(([key, value]) =>
      key.toLowerCase() === 'content-length' ? [key, String(body.length)] : [key, value],
    );
    res.sendDate = false;
    res.writeHead(status, statusMessage, flat);
    if (step.behaviour === 'stall') {
      await send(res, body.subarray(0, cut), delayMs);
      return;
    }
    if (step.behaviour === 'cutoff' || step.behaviour === 'crash') {
      const partial = cut + Math.floor((eventsEnd(body, afterEvents + 1) - cut) / 2);
      await send(res, body.subarray(0, partial), delayMs);
      if (step.behaviour === 'crash') crash();
      else req.socket.destroy();
      return;
    }
    await send(res, body, delayMs);
    res.end();
  };

  let crashed = false;
  const crash = () => {
    crashed = true;
    server.close();
    server.closeAllConnections();
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body };
      try {
        recorded.json = JSON.parse(body);
      } catch {
        // Not JSON (GET requests, the invalid-JSON case): the raw body is kept.
      }
      stats.requests.push(recorded);
      const step = nextStep(`${recorded.method} ${recorded.path}`, recorded);
      stats.open += 1;
      stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.open);
      let deliberate = step.behaviour === 'cutoff' || step.behaviour === 'crash';
      res.on('close', () => {
        stats.open -= 1;
        if (!res.writableFinished && !deliberate && !crashed) stats.clientClosed += 1;
      });
      respond(req, res, step).catch(() => {
        deliberate = true;
        res.destroy();
      });
    });
  });

  server.on('connection', () => (stats.connections += 1));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
