// The session header, built in one place for every kind of session (a run, a probe).

import { SESSION_FORMAT_VERSION, type SessionStartedEvent } from './events.js';

/** What a header says about a session, besides the format and the clock. */
export type HeaderFields = Omit<SessionStartedEvent, 'type' | 't' | 'formatVersion' | 'startedAt'>;

/** The first event of a session (unstamped: the emitter adds `t`). */
export function sessionHeader(fields: HeaderFields, now = new Date()): Omit<SessionStartedEvent, 't'> {
  return {
    type: 'session_started',
    formatVersion: SESSION_FORMAT_VERSION,
    slotbenchVersion: fields.slotbenchVersion,
    sessionId: fields.sessionId,
    startedAt: now.toISOString(),
    flow: fields.flow,
    ...(fields.flowOptions && Object.keys(fields.flowOptions).length > 0 ? { flowOptions: { ...fields.flowOptions } } : {}),
    task: fields.task,
    model: { ...fields.model },
    sampling: { ...fields.sampling },
    attempts: fields.attempts,
    ...(fields.label ? { label: fields.label } : {}),
    ...(fields.derivedFrom ? { derivedFrom: fields.derivedFrom } : {}),
    ...(fields.mode ? { mode: fields.mode } : {}),
  };
}
