// Non-fiscal paper of the register (sangria, suprimento, X and Z): plain fixed-width lines, sent
// as ESC/POS to a network printer or as a monospace page to an OS printer. No drawer kick.
import type { PrinterSettings, PrintResult } from '../../shared/contract.ts';
import type { LayoutLine } from '../../shared/receipt/layout.ts';
import { encodeLayout } from './escpos.ts';
import { escapeHtml, PAPER } from './html.ts';
import type { PrinterDeps } from './printer.ts';
import { Tcp9100Transport } from './transports/tcp9100.ts';
import { printErrorMessage } from './transports/transport.ts';

export type VoucherLine = { text: string; bold?: boolean } | { rule: true };

export function encodeVoucher(lines: readonly VoucherLine[], settings: Pick<PrinterSettings, 'width' | 'codePage'>): Uint8Array {
  const layoutLines: LayoutLine[] = lines.map((l) =>
    'rule' in l ? { kind: 'rule' } : l.bold ? { kind: 'text', text: l.text, bold: true } : { kind: 'text', text: l.text },
  );
  return encodeLayout({ width: settings.width, copies: [{ label: null, lines: layoutLines }] }, { codePage: settings.codePage, openDrawer: false });
}

export function voucherHtml(lines: readonly VoucherLine[], width: number): string {
  const body = lines.map((l) => ('rule' in l ? '-'.repeat(width) : l.bold ? `<b>${escapeHtml(l.text)}</b>` : escapeHtml(l.text))).join('\n');
  return `<!doctype html><meta charset="utf-8"><pre style="font:12px monospace;margin:0">${body}</pre>`;
}

export async function printVoucher(lines: readonly VoucherLine[], settings: PrinterSettings, deps: PrinterDeps = {}): Promise<PrintResult> {
  try {
    if (settings.kind === 'none') {
      return { ok: false, message: 'Nenhuma impressora configurada: o comprovante ficou guardado no caixa e pode ser reimpresso.' };
    }
    if (settings.kind === 'network') {
      const t = new Tcp9100Transport({ ...deps.tcp, host: settings.host ?? '', port: settings.port ?? 9100 });
      await t.send(encodeVoucher(lines, settings));
      return { ok: true, message: 'Comprovante impresso.' };
    }
    if (!deps.osPrint || !settings.deviceName) {
      return { ok: false, message: 'A impressão pelo sistema só está disponível no aplicativo instalado; o comprovante ficou guardado no caixa.' };
    }
    const paper = PAPER[settings.width];
    await deps.osPrint.printHtml(voucherHtml(lines, settings.width), {
      deviceName: settings.deviceName,
      widthMicrons: paper.paperMm * 1000,
      heightMicrons: Math.max(50, lines.length * 4.5) * 1000,
    });
    return { ok: true, message: 'Comprovante impresso.' };
  } catch (err) {
    return { ok: false, message: `${printErrorMessage(err)} O comprovante ficou guardado no caixa.` };
  }
}
