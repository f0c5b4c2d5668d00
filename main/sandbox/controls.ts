// The in-process fault controls (the admin HTTP API calls the same functions).
import type { SandboxContext } from './context.ts';
import { healAll } from './contingency.ts';
import type { SandboxControls } from './types.ts';

export function makeControls(ctx: SandboxContext): SandboxControls {
  return {
    set: (faults) => ctx.faults.set(faults),
    get: () => ctx.faults.get(),
    reset: () => {
      ctx.faults.reset();
      ctx.limiter.reset();
      ctx.setClockOffset(0);
    },
    heal: async () => healAll(ctx),
    setClockOffset: (ms) => {
      if (!Number.isFinite(ms)) throw new RangeError('offsetMs deve ser um número');
      ctx.setClockOffset(ms);
    },
    now: () => ctx.now(),
  };
}
