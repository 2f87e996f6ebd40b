// Several llama-servers of one model as one ModelPort: each request goes to a server with a free slot; one that goes away is set aside.

import { UserError, isUserError, oneLine } from '../core/errors.js';
import type { ModelIdentity } from '../core/events.js';
import type { Completion, GenerateOptions, ModelInfo, ModelPort } from '../core/ports.js';
import type { ModelRequest } from '../core/sampling.js';

/** Errors that mean the server itself is gone (or unusable), not that this one request was bad. */
const SERVER_GONE = new Set(['unreachable', 'connection', 'cut_off', 'stalled', 'server_error', 'bad_stream']);

/** How long a server that failed stays out before it is asked again. */
const DOWN_FOR_MS = 10_000;

interface Member {
  model: ModelPort;
  /** Requests in flight on it now. */
  busy: number;
  /** Its slot count, once its /props said (until then, what its config said). */
  slots: number;
  downUntil?: number;
  downReason?: string;
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
 * A pool of servers serving the same model. Requests wait for a free slot anywhere in the pool; a server whose
 * request failed with a connection-type error is set aside for a while (the failed request is an error for the
 * caller to retry, never a verdict), and requests go to the others.
 */
export class ServerPool implements ModelPort {
  readonly identity: ModelIdentity;
  readonly api: 'completion' | 'chat';
  private readonly members: Member[];
  private readonly waiting: Array<() => void> = [];

  constructor(name: string, models: ModelPort[], private readonly now: () => number = Date.now) {
    if (models.length === 0) throw new UserError(`model "${name}": a pool needs at least one server`, 'bad_config');
    this.members = models.map((model) => ({ model, busy: 0, slots: model.maxParallel }));
    this.api = models[0].api;
    this.identity = { name, kind: 'llama-server', location: models.map((m) => m.identity.location).join(' ') };
  }

  /** Every slot of every server that is not set aside. */
  get maxParallel(): number {
    return Math.max(1, this.up().reduce((total, m) => total + m.slots, 0));
  }

  async generate(request: ModelRequest, options: GenerateOptions): Promise<Completion> {
    const member = await this.acquire(options.signal);
    try {
      const completion = await member.model.generate(request, options);
      return { ...completion, server: completion.server ?? member.model.identity.location };
    } catch (error) {
      const code = isUserError(error) ? error.code : undefined;
      if (code !== undefined && SERVER_GONE.has(code) && !options.signal?.aborted) {
        member.downUntil = this.now() + DOWN_FOR_MS;
        member.downReason = oneLine(error);
      }
      throw error;
    } finally {
      member.busy--;
      this.waiting.shift()?.();
    }
  }

  /** Healthy when any server is; slots summed over the healthy ones; the model file and build when all agree. */
  async info(): Promise<ModelInfo> {
    await this.refresh();
    const healthy = this.members.filter((m) => m.info?.healthy);
    const files = new Set(healthy.map((m) => m.info?.modelFile));
    const builds = new Set(healthy.map((m) => m.info?.build));
    const down = this.members.length - healthy.length;
    return {
      healthy: healthy.length > 0,
      status: healthy.length === 0
        ? `every server of pool ${this.identity.name} is down: ${this.members.map((m) => m.info?.status ?? m.downReason ?? 'no answer').join('; ')}`
        : `${healthy.length} of ${this.members.length} servers up${down > 0 ? ` (${down} down)` : ''}`,
      totalSlots: healthy.reduce((total, m) => total + m.slots, 0),
      ...(files.size === 1 && [...files][0] !== undefined ? { modelFile: [...files][0] } : {}),
      ...(builds.size === 1 && [...builds][0] !== undefined ? { build: [...builds][0] } : {}),
    };
  }

  /** Each server's own facts, for the run manifest (which refuses a pool whose servers disagree). */
  async memberInfo(): Promise<PoolMember[]> {
    await this.refresh();
    return this.members.map((m) => ({
      url: m.model.identity.location ?? '',
      healthy: m.info?.healthy ?? false,
      slots: m.slots,
      status: m.info?.status ?? m.downReason ?? 'no answer',
      ...(m.info?.modelFile !== undefined ? { modelFile: m.info.modelFile } : {}),
      ...(m.info?.build !== undefined ? { build: m.info.build } : {}),
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.model.close?.()));
  }

  /** Ask every server; one that answers is back in the pool, with the slot count it reports. */
  private async refresh(): Promise<void> {
    await Promise.all(
      this.members.map(async (m) => {
        try {
          m.info = await m.model.info();
        } catch (error) {
          m.info = { healthy: false, status: oneLine(error) };
        }
        if (m.info.healthy) {
          m.downUntil = undefined;
          if (m.info.totalSlots !== undefined && m.info.totalSlots > 0) m.slots = m.info.totalSlots;
        } else m.downUntil ??= this.now() + DOWN_FOR_MS;
      }),
    );
  }

  private up(): Member[] {
    const now = this.now();
    return this.members.filter((m) => m.downUntil === undefined || m.downUntil <= now);
  }

  /** The least busy server with a free slot, waiting for one if every slot is taken. */
  private async acquire(signal: AbortSignal | undefined): Promise<Member> {
    for (;;) {
      if (signal?.aborted) throw new UserError('request aborted before a server slot was free', 'aborted');
      const up = this.up();
      if (up.length === 0) {
        const reasons = this.members.map((m) => `${m.model.identity.location}: ${m.downReason ?? 'down'}`).join('; ');
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
