// A problem on an emission is a stable code (what decisions read) plus the title and fix the
// manager reads. Every writer goes through these two helpers so the three columns move together.
import type { BlockReason } from '../../shared/emission.ts';
import type { EmissionPatch } from '../db/types.ts';

export function problemPatch(reason: BlockReason, title: string, fix: string): EmissionPatch {
  return { blockReason: reason, problemTitle: title, problemFix: fix };
}

export const NO_PROBLEM: Readonly<EmissionPatch> = { blockReason: null, problemTitle: null, problemFix: null };
