// Asks the receipt printer how it is, over its own TCP socket (ESC/POS real-time status, DLE EOT 2
// and 4: cover, paper-end and the roll's near-end sensor), for the Abertura and the register's
// opening. Short timeouts: a printer that does not answer must not hold the opening up.
import type { PrinterSettings } from '../../shared/contract.ts';
import { printerStatusView, type PrinterStatusView } from '../../shared/printing/status.ts';
import { Tcp9100Transport, type Tcp9100Options } from './transports/tcp9100.ts';
import { PrinterError } from './transports/transport.ts';

export interface PrinterStatusDeps {
  tcp?: Omit<Tcp9100Options, 'host' | 'port'>;
}

/** Bounds of the status probe (connect, then the status bytes). */
export const STATUS_CONNECT_MS = 1_500;
export const STATUS_ANSWER_MS = 800;

export async function queryPrinterStatus(settings: PrinterSettings, deps: PrinterStatusDeps = {}): Promise<PrinterStatusView> {
  if (settings.kind === 'none') return printerStatusView('not_configured', 'Nenhuma impressora configurada.');
  if (settings.kind === 'os') {
    return printerStatusView(
      'system',
      `Impressora do sistema${settings.deviceName ? ` (${settings.deviceName})` : ''}: papel e tampa são informados pelo sistema.`,
    );
  }
  let transport: Tcp9100Transport;
  try {
    transport = new Tcp9100Transport({
      connectTimeoutMs: STATUS_CONNECT_MS,
      statusTimeoutMs: STATUS_ANSWER_MS,
      ...deps.tcp,
      host: settings.host ?? '',
      port: settings.port ?? 9100,
    });
  } catch (err) {
    return printerStatusView('not_responding', err instanceof PrinterError ? err.message : 'Endereço da impressora inválido.');
  }
  const where = `Impressora de rede ${transport.target}`;
  let status;
  try {
    status = await transport.status();
  } catch (err) {
    return printerStatusView('not_responding', err instanceof PrinterError ? err.message : `${where}: sem conexão.`);
  }
  if (!status) return printerStatusView('no_status', `${where}: conectada, mas não informa papel e tampa.`);
  // Cover first: with it open the paper sensor reads "out" on many models.
  if (status.coverOpen) return printerStatusView('cover_open', `${where}: tampa aberta.`);
  if (status.paperOut) return printerStatusView('paper_out', `${where}: sem papel.`);
  if (status.paperNearEnd) return printerStatusView('paper_near_end', `${where}: a bobina está no fim.`);
  return printerStatusView('ready', `${where}: pronta, com papel e tampa fechada.`);
}
