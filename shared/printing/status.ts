// The receipt printer's state as the Abertura and the register screen show it: one code per state
// (decisions key on it), its level and the words a cashier reads. Main fills it from the printer's
// own answer (ESC/POS DLE EOT over the TCP socket); the renderer only shows it.
import type { CheckLevel } from '../contract.ts';

export type PrinterStatusCode =
  /** Online, paper loaded, cover closed. */
  | 'ready'
  /** The roll's near-end sensor: prints still, the roll must be changed soon. */
  | 'paper_near_end'
  | 'paper_out'
  | 'cover_open'
  /** Connected, but the printer does not answer status requests (many cheap models): paper and cover unknown. */
  | 'no_status'
  /** No connection (off, unplugged, wrong address). */
  | 'not_responding'
  /** A system (driver) printer: its paper and cover are the operating system's business. */
  | 'system'
  | 'not_configured';

export interface PrinterStatusView {
  code: PrinterStatusCode;
  level: CheckLevel;
  /** Short words for a chip: "Pouco papel". */
  label: string;
  /** What was found, with the printer's name. */
  detail: string;
  /** What to do, or null when nothing is needed. */
  fix: string | null;
}

const TEXT: Record<PrinterStatusCode, { level: CheckLevel; label: string; fix: string | null }> = {
  ready: { level: 'green', label: 'Impressora pronta', fix: null },
  paper_near_end: { level: 'yellow', label: 'Pouco papel', fix: 'A bobina está no fim: deixe uma bobina nova à mão e troque assim que acabar.' },
  paper_out: { level: 'red', label: 'Sem papel', fix: 'Coloque uma bobina nova. As vendas continuam; os cupons ficam para reimprimir.' },
  cover_open: { level: 'red', label: 'Tampa aberta', fix: 'Feche a tampa da impressora. As vendas continuam; os cupons ficam para reimprimir.' },
  no_status: {
    level: 'yellow',
    label: 'Status não informado',
    fix: 'A impressora não informa papel e tampa: confira a bobina antes de começar.',
  },
  not_responding: {
    level: 'red',
    label: 'Impressora não responde',
    fix: 'Confira se a impressora está ligada e no cabo de rede, e o endereço em Configurações. As vendas continuam.',
  },
  system: { level: 'green', label: 'Impressora do sistema', fix: null },
  not_configured: { level: 'yellow', label: 'Sem impressora', fix: 'Configure a impressora em Configurações e imprima a página de teste.' },
};

export function printerStatusView(code: PrinterStatusCode, detail: string): PrinterStatusView {
  const t = TEXT[code];
  return { code, level: t.level, label: t.label, detail, fix: t.fix };
}
