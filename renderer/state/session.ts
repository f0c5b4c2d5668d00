// Who is at the till and what the core says about itself (environment, link, pending notes).
// Status arrives by subscription; nothing here polls.
import { create } from 'zustand';
import type { AppPhase, OperatorView, PreflightReport, PublicSettings, SecretsProblem, StatusView } from '../../shared/contract.ts';
import { call, messageOf, pos } from '../pos.ts';

export interface SessionState {
  phase: 'loading' | 'ready' | 'failed';
  loadError: string | null;
  /** Where the terminal stands (first-run setup, recovery, secrets needed, ready). */
  appPhase: AppPhase;
  secrets: SecretsProblem | null;
  /** Phase 'journal': why the sales file cannot be used. */
  journalProblem: { code: string; message: string } | null;
  /** The last "Abertura" pre-flight (run after each login). */
  preflight: PreflightReport | null;
  demo: boolean;
  /** Demo mode only: the sample operators' PINs, shown on the login screen. */
  demoLogins: { operatorId: string; name: string; pin: string }[];
  operators: OperatorView[];
  operator: OperatorView | null;
  status: StatusView | null;
  settings: PublicSettings | null;
  bootstrap(): Promise<void>;
  login(operatorId: string, pin: string): Promise<void>;
  logout(): Promise<void>;
  setStatus(status: StatusView): void;
  setSettings(settings: PublicSettings): void;
}

let booting: Promise<void> | null = null;

export const useSession = create<SessionState>()((set, get) => ({
  phase: 'loading',
  loadError: null,
  appPhase: 'ready',
  secrets: null,
  journalProblem: null,
  preflight: null,
  demo: false,
  demoLogins: [],
  operators: [],
  operator: null,
  status: null,
  settings: null,
  bootstrap() {
    // One call at a time: main.tsx starts it before React's first render, App asks again on mount.
    booting ??= (async () => {
      try {
        const boot = await call(pos().session.bootstrap({}));
        set({
          phase: 'ready',
          loadError: null,
          appPhase: boot.phase,
          secrets: boot.secrets ?? null,
          journalProblem: boot.journal ?? null,
          demo: boot.demo,
          demoLogins: boot.demoLogins ?? [],
          operators: boot.operators,
          operator: boot.status.operator,
          status: boot.status,
          settings: boot.settings,
        });
      } catch (err) {
        set({ phase: 'failed', loadError: messageOf(err) });
      }
    })().finally(() => {
      booting = null;
    });
    return booting;
  },
  async login(operatorId, pin) {
    const operator = await call(pos().auth.login({ operatorId, pin }));
    set({ operator, preflight: null });
    const status = get().status;
    if (status) set({ status: { ...status, operator } });
    // "Abertura": each login runs the pre-flight; the cashier sees a summary, the manager the detail.
    call(pos().preflight.run({})).then(
      (preflight) => set({ preflight }),
      () => {},
    );
  },
  async logout() {
    try {
      await call(pos().auth.logout({}));
    } finally {
      set({ operator: null, preflight: null });
    }
    // The manager may have added, renamed or disabled operators: the login list is re-read.
    call(pos().auth.operators({})).then(
      (operators) => set({ operators }),
      () => {},
    );
  },
  setStatus(status) {
    const mine = get().operator;
    if ((status.operator?.id ?? null) === (mine?.id ?? null)) {
      // The same person: keep the same object. Status arrives with every move of a note (queue
      // counts), and a new operator object each time re-rendered the whole app (App selects it),
      // re-read the register and competed with the scans.
      set({ status, operator: sameOperator(mine, status.operator), demo: status.demo });
      return;
    }
    // A pushed status may have left the core before our own login/logout answer arrived (events
    // and answers travel on different connections): ask the core which operator is current now.
    set({ status: { ...status, operator: mine }, demo: status.demo });
    call(pos().status.get({})).then(
      (fresh) => set({ status: fresh, operator: fresh.operator, demo: fresh.demo }),
      () => {},
    );
  },
  setSettings(settings) {
    set({ settings });
  },
}));

function sameOperator(mine: OperatorView | null, next: OperatorView | null): OperatorView | null {
  return mine && next && mine.id === next.id && mine.name === next.name && mine.role === next.role ? mine : next;
}

export function isManager(s: Pick<SessionState, 'operator'>): boolean {
  return s.operator?.role === 'manager';
}
