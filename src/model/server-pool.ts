// Several llama-servers of one model as one ModelPort: each request goes to a server with a free slot; one that goes away is set aside and asked again later.

import { setTimeout as sleep } from 'node:timers/promises';
import { UserError, isUserError, oneLine } from '../core/errors.js';
import type { ModelIdentity } from '../core/events.js';
import type { Completion, GenerateOptions, ModelInfo, ModelPort } from '../core/ports.js';
import type { ModelRequest } from '../core/sampling.js';

/** Errors that mean the server itself is gone (or unusable), not that this one request was bad. */
const SERVER_GONE = new Set(['unreachable', 'connection', 'cut_off', 'stalled', 'server_error', 'unavailable_error', 'bad_stream']);

/** True when `error` says the server failed (transport, stall, 5xx), so another server may answer the same request. */
export function isServerGone(error: unknown): boolean {
  if (!isUserError(error) || error.code === undefined) return false;
  return SERVER_GONE.has(error.code) || /^http_5\d\d$/.test(error.code);
}

/** How a pool waits before asking a failed server again (doubling per failure, up to `maxDownMs`). */
export interface PoolTiming {
  now?: () => number;
  /** Out for this long after its first failure (default 1 s). */
  downMs?: number;
  /** Longest wait between two health probes of a server that stays down (default 30 s). */
  maxDownMs?: number;
  /** Longest a request waits for servers that are all still loading their model (default 60 s, as one server's client). */
  loadWaitMs?: number;
}

interface Member {
  model: ModelPort;
  /** Requests in flight on it now. */
  busy: number;
  /** Its slot count, once its /props said (until then, what its config said). */
  slots: number;
  /** Set while the server is out of the pool: when its health is next probed, why it went out, failures in a row. */
  down?: { until: number; reason: string; failures: number };
  /** A health probe in flight. */
  probing?: Promise<void>;
  info?: ModelInfo;
}

/** One server of a pool as the manifest records it. */
export interface PoolMember {
  url: string;
  healthy: boolean;
  slots: number;
  modelFile?: string;
  build?: string;
  status: string;
}

/**
 * A pool of servers serving the same model. Requests wait for a free slot anywhere in the pool. A server that fails
 * (connection refused or reset, stall, 5xx) is set aside; the request moves to another server when nothing had been
 * streamed yet, else it fails as an error for the caller to retry (never a verdict). A server set aside is probed
 * (/health) after a back-off that doubles while it stays down, and rejoins only serving the pool's model file and build.
 */
export class ServerPool implements ModelPort {
  readonly identity: ModelIdentity;
  readonly api: 'completion' | 'chat';
  private readonly members: Member[];
  private readonly waiting: Array<() => void> = [];
  private readonly now: () => number;
  private readonly downMs: number;
  private readonly maxDownMs: number;
  private readonly loadWaitMs: number;
  /** Model file and build every server agreed on when first asked; a server returning with others stays out. */
  private expected?: { modelFile?: string; build?: string };

  constructor(name: string, models: ModelPort[], timing: PoolTiming = {}) {
    if (models.length === 0) throw new UserError(`model "${name}": a pool needs at least one server`, 'bad_config');
    this.members = models.map((model) => ({ model, busy: 0, slots: model.maxParallel }));
    this.api = models[0].api;
    this.identity = { name, kind: 'llama-server', location: models.map((m) => m.identity.location).join(' ') };
    this.now = timing.now ?? Date.now;
    this.downMs = timing.downMs ?? 1_000;
    this.maxDownMs = timing.maxDownMs ?? 30_000;
    this.loadWaitMs = timing.loadWaitMs ?? 60_000;
  }

  /** Every slot of every server that is not set aside. */
  get maxParallel(): number {
    return Math.max(1, this.members.filter((m) => !m.down).reduce((total, m) => total + m.slots, 0));
  }

  async generate(request: ModelRequest, options: GenerateOptions): Promise<Completion> {
    const tried = new Set<Member>();
    for (;;) {
      const member = await this.acquire(options.signal, tried);
      const location = member.model.identity.location ?? '';
      let streamed = false;
      const onToken: GenerateOptions['onToken'] = (token) => {
        streamed = true;
        options.onToken(token);
      };
      try {
        const completion = await member.model.generate(request, { ...options, onToken });
        return { ...completion, server: completion.server ?? location };
      } catch (error) {
        if (!isServerGone(error) || options.signal?.aborted) throw error;
        this.setAside(member, oneLine(error));
        tried.add(member);
        // Tokens already reached the caller: re-sending would show them twice, so the run ends as an error to retry.
        if (streamed || !this.members.some((m) => !tried.has(m) && (!m.down || m.probing))) throw error;
        options.onNotice?.(`${location} failed before answering (${oneLine(error)}); sending the request to another server`);
      } finally {
        member.busy--;
        this.waiting.shift()?.();
      }
    }
  }

  /** Healthy when any server is; slots summed over the healthy ones; the model file and build when all agree. */
  async info(): Promise<ModelInfo> {
    await this.refresh();
    const healthy = this.members.filter((m) => m.info?.healthy);
    const files = new Set(healthy.map((m) => m.info?.modelFile));
    const builds = new Set(healthy.map((m) => m.info?.build));
    const down = this.members.length - healthy.length;
    // Servers still loading answer once they are done: a run may start and wait for them.
    const loading = healthy.length === 0 && this.members.some((m) => m.info?.loading);
    return {
      healthy: healthy.length > 0,
      ...(loading ? { loading: true } : {}),
      status: healthy.length === 0
        ? `every server of pool ${this.identity.name} is down: ${this.members.map((m) => m.info?.status ?? m.down?.reason ?? 'no answer').join('; ')}`
        : `${healthy.length} of ${this.members.length} servers up${down > 0 ? ` (${down} down)` : ''}`,
      totalSlots: healthy.reduce((total, m) => total + m.slots, 0),
      ...(files.size === 1 && [...files][0] !== undefined ? { modelFile: [...files][0] } : {}),
      ...(builds.size === 1 && [...builds][0] !== undefined ? { build: [...builds][0] } : {}),
    };
  }

  /** Each server's own facts, for the run manifest (which refuses a pool whose servers disagree) and `models`/`doctor`. */
  async memberInfo(): Promise<PoolMember[]> {
    await this.refresh();
    return this.members.map((m) => ({
      url: m.model.identity.location ?? '',
      healthy: m.info?.healthy ?? false,
      slots: m.slots,
      status: m.info?.status ?? m.down?.reason ?? 'no answer',
      ...(m.info?.modelFile !== undefined ? { modelFile: m.info.modelFile } : {}),
      ...(m.info?.build !== undefined ? { build: m.info.build } : {}),
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.model.close?.()));
  }

  /** Ask every server now; the first time the ones that answer agree, their model file and build become the pool's. */
  private async refresh(): Promise<void> {
    await Promise.all(this.members.map((m) => (m.probing ??= this.probe(m))));
    const healthy = this.members.filter((m) => m.info?.healthy);
    const agreed = (field: 'modelFile' | 'build') => new Set(healthy.map((m) => m.info?.[field])).size === 1;
    if (this.expected === undefined && healthy.length > 0 && agreed('modelFile') && agreed('build')) {
      this.expected = { modelFile: healthy[0].info?.modelFile, build: healthy[0].info?.build };
    }
  }

  /** One health probe: a server that answers (with the pool's model) is back, with the slot count it reports. */
  private async probe(m: Member): Promise<void> {
    try {
      let info: ModelInfo;
      try {
        info = await m.model.info();
      } catch (error) {
        info = { healthy: false, status: oneLine(error) };
      }
      const stranger = info.healthy && this.expected !== undefined && (info.modelFile !== this.expected.modelFile || info.build !== this.expected.build);
      if (stranger) {
        const serves = (file?: string, build?: string) => `${file ?? 'unknown model file'} (build ${build ?? 'unknown'})`;
        info = { ...info, healthy: false, status: `serves ${serves(info.modelFile, info.build)}, not the pool's ${serves(this.expected?.modelFile, this.expected?.build)}` };
      }
      m.info = info;
      if (info.healthy) {
        m.down = undefined;
        if (info.totalSlots !== undefined && info.totalSlots > 0) m.slots = info.totalSlots;
        for (const wake of this.waiting.splice(0)) wake();
      } else {
        this.setAside(m, info.status, true, info.loading);
      }
    } finally {
      m.probing = undefined;
    }
  }

  /** Out until the back-off ends; a probe that finds it still down doubles the wait (not while it loads its model). */
  private setAside(m: Member, reason: string, probed = false, loading = false): void {
    if (m.down && !probed) return;
    const failures = loading ? 1 : (m.down?.failures ?? 0) + 1;
    m.down = { until: this.now() + Math.min(this.maxDownMs, this.downMs * 2 ** (failures - 1)), reason, failures };
  }

  /** Start a health probe of every server whose back-off has ended. */
  private probeDue(): void {
    const now = this.now();
    for (const m of this.members) {
      if (m.down && m.down.until <= now && !m.probing) m.probing = this.probe(m);
    }
  }

  /** The least busy server with a free slot (not one in `skip`), waiting for one if every slot is taken. */
  private async acquire(signal: AbortSignal | undefined, skip: ReadonlySet<Member>): Promise<Member> {
    const started = Date.now();
    for (;;) {
      if (signal?.aborted) throw new UserError('request aborted before a server slot was free', 'aborted');
      this.probeDue();
      const up = this.members.filter((m) => !m.down && !skip.has(m));
      if (up.length === 0) {
        const probes = this.members.filter((m) => m.probing && !skip.has(m)).map((m) => m.probing!);
        if (probes.length > 0) {
          await Promise.race(probes);
          continue;
        }
        const loading = this.members.filter((m) => m.info?.loading && m.down && !skip.has(m));
        if (loading.length > 0 && Date.now() - started < this.loadWaitMs) {
          const next = Math.min(...loading.map((m) => m.down!.until)) - this.now();
          await sleep(Math.max(1, next), undefined, signal ? { signal } : {}).catch(() => undefined);
          continue;
        }
        const reasons = this.members.map((m) => `${m.model.identity.location}: ${m.down?.reason ?? 'failed this request'}`).join('; ');
        throw new UserError(`every server of pool ${this.identity.name} is down (${reasons})`, 'connection');
      }
      const free = up.filter((m) => m.busy < m.slots).sort((a, b) => a.busy / a.slots - b.busy / b.slots)[0];
      if (free) {
        free.busy++;
        return free;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        // An aborted waiter leaves the queue, so the next release wakes someone still waiting.
        const onAbort = () => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve();
        };
        this.waiting.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
