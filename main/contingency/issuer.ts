// Manual offline issuance (nfce-rules §10): when Focus cannot be reached, the sale gets a note
// numbered by this terminal in its own contingency série, with a chave tpEmis 9 and a QR code the
// PDV signs itself, printed at once in two copies. When no valid document can be produced (no
// certificate, SP, séries misconfigured) the sale is parked as 'blocked' with the reason — never
// an invalid document.
import { randomInt as cryptoRandomInt } from 'node:crypto';
import { UNSENT_STATES, type BlockReason, type EmissionView } from '../../shared/emission.ts';
import type { Emitter, Environment } from '../../shared/sale.ts';
import { generateCnf } from '../../shared/fiscal/chave.ts';
import { offlineContingencyBlockReason } from '../../shared/fiscal/uf.ts';
import { buildNfceRequest, NfcePayloadError } from '../../shared/nfce/payload.ts';
import type { IbsCbsOptions } from '../../shared/fiscal/ibscbs.ts';
import { parseFocusDateTime, toFocusDateTime } from '../../shared/datetime.ts';
import type { EmissionRow } from '../db/types.ts';
import { toEmissionView } from '../emission/views.ts';
import { NO_PROBLEM, problemPatch } from '../emission/problem.ts';
import type { DivertReason } from '../emission/types.ts';
import type { CertificateStore } from './certificate.ts';
import { buildOfflineDocument, type OfflineQrMode } from './offline-document.ts';
import { checkXJust, contingencySerieProblem, DEFAULT_X_JUST } from './series.ts';
import type { ContingencyStore } from './store.ts';

export interface ContingencyConfig {
  environment: Environment;
  emitter: Emitter;
  terminalId: string;
  /** The série Focus uses for online notes. */
  serie: string;
  /** This terminal's own contingency série (distinct from `serie`, never used by Focus). */
  contingencySerie: string;
  /** 3 (signed with the A1) by default; 2 only where the UF still requires it (see offline-document.ts). */
  qrVersion: 2 | 3;
  xJust?: string;
  /** CSC for the v2 fallback (from the vault); null when not configured. */
  csc?: { id: string; csc: string } | null;
  /** IBS/CBS options (manager's early start): the offline note carries the same group as an online one. */
  taxReform?: IbsCbsOptions;
}

export const CERTIFICATE_MISSING_TITLE = 'Emissão offline indisponível';
export const CERTIFICATE_MISSING_FIX =
  'emissão offline indisponível: importe o certificado A1 (arquivo .pfx e a senha) em Configurações › Certificado. ' +
  'A venda ficou guardada e a nota será emitida assim que a internet voltar.';

export interface IssuerDeps {
  store: ContingencyStore;
  certificates: CertificateStore;
  config: () => ContingencyConfig;
  now?: () => number;
  /** CSPRNG for cNF (node:crypto randomInt unless a test pins it). */
  randomInt?: (maxExclusive: number) => number;
  /** When the link was first seen down (dhCont may not be later than dhEmi). */
  linkDownSince?: () => number | null;
  /** Hands the two-copy contingency receipt to the print queue (not awaited by the sale). */
  print?: (view: EmissionView, row: EmissionRow) => void | Promise<void>;
  onChange?: (row: EmissionRow) => void;
}

export interface Blocker {
  reason: BlockReason;
  title: string;
  fix: string;
}

export type IssueResult =
  { kind: 'issued'; view: EmissionView; row: EmissionRow; created: boolean } | { kind: 'blocked'; view: EmissionView | null; blocker: Blocker };

export class ContingencyIssuer {
  private readonly d: IssuerDeps;
  private readonly now: () => number;
  private readonly randomInt: (max: number) => number;

  constructor(deps: IssuerDeps) {
    this.d = deps;
    this.now = deps.now ?? Date.now;
    this.randomInt = deps.randomInt ?? ((max) => cryptoRandomInt(max));
  }

  /** Why offline emission is impossible right now (or null), and the QR mode to use otherwise. */
  async readiness(cfg: ContingencyConfig): Promise<{ blocker: Blocker } | { qr: (sign: string) => OfflineQrMode }> {
    const uf = offlineContingencyBlockReason(cfg.emitter.uf);
    if (uf) return { blocker: { reason: 'contingency_uf_forbidden', title: 'Contingência off-line não permitida nesta UF', fix: uf } };
    const series = contingencySerieProblem(cfg.serie, cfg.contingencySerie);
    if (series) return { blocker: { reason: 'contingency_bad_serie', title: 'Série de contingência inválida', fix: series } };
    const signer = await this.d.certificates.signer();
    if (!signer.ok) {
      const detail = signer.error.code === 'missing' ? '' : ` (${signer.error.message})`;
      return { blocker: { reason: 'contingency_no_certificate', title: CERTIFICATE_MISSING_TITLE, fix: CERTIFICATE_MISSING_FIX + detail } };
    }
    if (cfg.qrVersion === 2) {
      const csc = cfg.csc;
      if (!csc) {
        return {
          blocker: {
            reason: 'contingency_no_certificate',
            title: CERTIFICATE_MISSING_TITLE,
            fix: 'emissão offline indisponível: o QR Code versão 2 exige o CSC e o seu identificador. Cadastre-os em Configurações › Séries (campos CSC e ID do CSC) ou use o QR Code versão 3 com o certificado A1.',
          },
        };
      }
      return { qr: (digestSource) => ({ version: 2, cscId: csc.id, csc: csc.csc, digestSource }) };
    }
    const s = signer.signer;
    return { qr: () => ({ version: 3, signBase64: (data) => s.signSha1Base64(data) }) };
  }

  /**
   * Issues the sale in contingency (or parks it as blocked). Idempotent: a sale that already has a
   * contingency note gets the same note back.
   */
  async issue(saleId: number, reason: DivertReason): Promise<IssueResult> {
    const { store } = this.d;
    const journal = store.journal;
    const latest = journal.emissions.latestForSale(saleId);
    if (!latest) throw new Error(`venda ${saleId} sem emissão no arquivo de vendas`);
    if (latest.tpEmis === '9' && latest.state !== 'superseded') {
      return { kind: 'issued', view: toEmissionView(latest), row: latest, created: false };
    }
    const sale = journal.sales.require(saleId);
    const cfg = this.d.config();
    const ready = await this.readiness(cfg);
    if ('blocker' in ready) return this.block(latest, ready.blocker);

    const serie = Number(cfg.contingencySerie);
    const xJust = checkXJust(cfg.xJust ?? DEFAULT_X_JUST);
    const dhEmi = sale.createdAt;
    const parsed = parseFocusDateTime(dhEmi);
    if (!parsed) throw new Error(`data da venda ${saleId} ilegível: ${dhEmi}`);
    const down = this.d.linkDownSince?.() ?? null;
    // dhCont: when contingency began, never after dhEmi (SEFAZ rejects dhCont > dhEmi).
    const dhContMs = Math.min(down ?? this.now(), parsed.epochMs);
    const dhCont = toFocusDateTime(dhContMs, parsed.offsetMinutes);
    const neverLeft = UNSENT_STATES.includes(latest.state);

    let result: { row: EmissionRow; created: boolean };
    try {
      result = store.issueAttempt({
        saleId,
        environment: cfg.environment,
        cnpj: cfg.emitter.cnpj,
        serie,
        terminalId: cfg.terminalId,
        ...(neverLeft ? { supersede: { id: latest.id, from: UNSENT_STATES } } : {}),
        build: (numero) => {
          const cnf = generateCnf(numero, this.randomInt);
          const payload = buildNfceRequest({
            sale,
            emitter: cfg.emitter,
            environment: cfg.environment,
            offline: { numero, serie, codigoUnico: cnf },
            ...(cfg.taxReform ? { taxReform: cfg.taxReform } : {}),
          });
          const payloadJson = JSON.stringify(payload);
          const doc = buildOfflineDocument({
            emitter: cfg.emitter,
            environment: cfg.environment,
            dhEmi,
            totalCents: sale.totalCents,
            customer: sale.customer,
            serie,
            numero,
            cnf,
            qr: ready.qr(payloadJson),
          });
          return {
            cnf,
            chave: doc.chave,
            offlineQr: doc.qrCode,
            qrcodeUrl: doc.qrCode,
            urlConsulta: doc.urlConsulta,
            dhCont,
            xJust,
            emittedMs: parsed.epochMs,
            payloadJson,
            ...NO_PROBLEM,
          };
        },
      });
    } catch (err) {
      if (err instanceof NfcePayloadError) {
        return this.block(latest, { reason: 'contingency_invalid_sale', title: 'Dados da venda impedem a nota', fix: err.message });
      }
      throw err;
    }
    const { row, created } = result;
    const view = toEmissionView(row);
    if (created) {
      journal.audit.add({
        actor: 'system',
        action: 'contingency',
        saleId,
        details: { numero: row.numero, serie: row.serie, chave: row.chave, reason, previousAttempt: latest.attempt, previousState: latest.state },
      });
      this.d.onChange?.(row);
      if (neverLeft) {
        const prev = journal.emissions.get(latest.id);
        if (prev) this.d.onChange?.(prev);
      }
      this.printSafely(view, row);
    }
    return { kind: 'issued', view, row, created };
  }

  private printSafely(view: EmissionView, row: EmissionRow): void {
    if (!this.d.print) return;
    try {
      void Promise.resolve(this.d.print(view, row)).catch(() => {
        // The print queue reports its own failures (print.changed); the note exists regardless.
      });
    } catch {
      // Same as above.
    }
  }

  /**
   * Parks the sale. An attempt that never left becomes 'blocked' (the engine sends it normally once
   * the link returns); one whose POST is out stays with the engine (its outcome must be resolved
   * first) and only carries the explanation.
   */
  private block(latest: EmissionRow, b: Blocker): IssueResult {
    const emissions = this.d.store.journal.emissions;
    const patch = problemPatch(b.reason, b.title, b.fix);
    if (UNSENT_STATES.includes(latest.state)) {
      const row = emissions.transition(latest.id, UNSENT_STATES, 'blocked', patch);
      if (row) {
        this.d.onChange?.(row);
        return { kind: 'blocked', view: toEmissionView(row), blocker: b };
      }
    }
    const fresh = emissions.get(latest.id);
    if (fresh && (fresh.state === 'sending' || fresh.state === 'unknown' || fresh.state === 'pending')) {
      const row = emissions.update(fresh.id, patch);
      this.d.onChange?.(row);
    }
    return { kind: 'blocked', view: null, blocker: b };
  }
}
