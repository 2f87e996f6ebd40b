// Re-exports of the core types the state layer works with, so state/ files import from one place.

export type * from '../core/events.js';
export type { ModelRequest, SlotOverrides } from '../core/sampling.js';
