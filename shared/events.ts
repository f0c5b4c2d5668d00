// The events main pushes to the renderer, as a list a client checks names against. Schema-free on
// purpose: the renderer's startup bundle imports it, and must not pull zod (shared/contract.ts).
import type { EventName } from './contract.ts';

export const EVENTS: readonly EventName[] = [
  'emission.changed',
  'status.changed',
  'print.changed',
  'catalog.progress',
  'export.progress',
  'session.resumed',
  'pix.changed',
];
