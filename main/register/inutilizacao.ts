// Inutilização of a numbering gap, journaled like every Focus side effect: its row and a pending row
// of the shared side_effects table (kind 'inutilizacao') are committed together before the request
// leaves; Focus's answer settles both; side effects left pending by a crash or a lost answer are
// resolved at start (Focus's own list first, then a resend: SEFAZ refuses a second inutilização of
// the same range, so the resend can never void twice). This module owns the kind's resolution.
import type { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { writeFileAtomic } from '../secrets/atomic-file.ts';
import type { FocusApi, FocusInutilizacao } from '../focus/types.ts';
import type { InutilizacaoView } from '../../shared/register/period.ts';
import { AuditRepo } from '../db/audit-repo.ts';
import { transaction } from '../db/sqlite.ts';
import { findGaps } from '../reports/gaps.ts';
import { RegisterError } from './errors.ts';
import { SideEffectsRepo } from '../db/side-effects-repo.ts';
import { inutilizacaoPayload } from './schema.ts';

/** The side_effects kind of an inutilização (resolved at start by resolvePending, not by the engine). */
const INUTILIZACAO_KIND = 'inutilizacao';

export interface InutilizacaoDeps {
  db: DatabaseSync;
  api: FocusApi;
  clock: () => number;
  environment: string;
  cnpj: () => string;
  /** Where the inutilização XMLs are kept: <archiveDir>/inut/<CNPJ>/<AAAAMM>/. */
  archiveDir: string;
}

export function inutilizacaoXmlDir(archiveDir: string, cnpj: string, yyyymm: string): string {
  return join(archiveDir, 'inut', cnpj, yyyymm);
}

export class Inutilizacoes {
  readonly #d: InutilizacaoDeps;
  readonly #audit: AuditRepo;
  readonly #effects: SideEffectsRepo;

  constructor(deps: InutilizacaoDeps) {
    this.#d = deps;
    this.#audit = new AuditRepo(deps.db, deps.clock);
    this.#effects = new SideEffectsRepo(deps.db, deps.clock);
  }

  list(): InutilizacaoView[] {
    return this.#d.db.prepare('SELECT * FROM inutilizacoes WHERE environment = ? ORDER BY id DESC LIMIT 200').all(this.#d.environment).map(toView);
  }

  /** Journals the request (pending), then sends it. Only a number range that is a known gap is accepted. */
  async request(o: { serie: string; from: number; to: number; justificativa: string; actor: string }): Promise<InutilizacaoView> {
    const id = transaction(this.#d.db, () => {
      if (o.from > o.to) throw new RegisterError('gap_invalid', 'O número inicial é maior que o final. Corrija a faixa.');
      const gap = findGaps(this.#d.db, this.#d.environment).find((g) => g.serie === o.serie && g.from <= o.from && g.to >= o.to);
      if (!gap) {
        throw new RegisterError(
          'gap_invalid',
          `A faixa ${o.from} a ${o.to} da série ${o.serie} não é uma lacuna da numeração deste caixa. Só números nunca usados podem ser inutilizados.`,
        );
      }
      if (gap.status !== 'open') throw new RegisterError('gap_in_progress', 'Esta faixa já foi inutilizada ou está sendo inutilizada agora.');
      const now = this.#d.clock();
      const { lastInsertRowid } = this.#d.db
        .prepare(
          "INSERT INTO inutilizacoes(cnpj, environment, serie, numero_inicial, numero_final, justificativa, actor, state, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        )
        .run(this.#d.cnpj(), this.#d.environment, o.serie, o.from, o.to, o.justificativa, o.actor, now, now);
      const row = this.#d.db.prepare('SELECT * FROM inutilizacoes WHERE id = ?').get(Number(lastInsertRowid))!;
      const effect = this.#effects.begin({ kind: INUTILIZACAO_KIND, actor: o.actor, payload: inutilizacaoPayload(row) });
      this.#d.db.prepare('UPDATE inutilizacoes SET side_effect_id = ? WHERE id = ?').run(effect.id, Number(lastInsertRowid));
      this.#audit.add({
        actor: o.actor,
        action: 'inutilizacao',
        details: { id: Number(lastInsertRowid), serie: o.serie, from: o.from, to: o.to, justificativa: o.justificativa },
      });
      return Number(lastInsertRowid);
    });
    await this.#send(id);
    return this.get(id);
  }

  get(id: number): InutilizacaoView {
    return toView(this.#d.db.prepare('SELECT * FROM inutilizacoes WHERE id = ?').get(id)!);
  }

  /** Start-up: every pending side effect of this kind is looked up at Focus, then sent again when Focus never saw it. */
  async resolvePending(): Promise<number> {
    const rows = this.#d.db
      .prepare(
        `SELECT i.id FROM side_effects s JOIN inutilizacoes i ON i.side_effect_id = s.id
         WHERE s.kind = ? AND s.state = 'pending' AND i.environment = ? ORDER BY i.id`,
      )
      .all(INUTILIZACAO_KIND, this.#d.environment);
    for (const r of rows) {
      const id = Number(r.id);
      const row = this.#d.db.prepare('SELECT * FROM inutilizacoes WHERE id = ?').get(id)!;
      const found = await this.#d.api.listInutilizacoes({
        cnpj: String(row.cnpj),
        numero_inicial: String(row.numero_inicial),
        numero_final: String(row.numero_final),
      });
      if (found.kind === 'ok') {
        const hit = found.body.find(
          (x) =>
            x.serie === String(row.serie) &&
            x.status === 'autorizado' &&
            Number(x.numero_inicial) === Number(row.numero_inicial) &&
            Number(x.numero_final) === Number(row.numero_final),
        );
        if (hit) {
          await this.#settle(id, hit);
          continue;
        }
        await this.#send(id);
      }
    }
    return rows.length;
  }

  async #send(id: number): Promise<void> {
    const row = this.#d.db.prepare('SELECT * FROM inutilizacoes WHERE id = ?').get(id)!;
    if (row.state !== 'pending') {
      // Answered already (the settle of its side effect was lost with the process).
      this.#settleEffect(row);
      return;
    }
    const out = await this.#d.api.inutilize({
      cnpj: String(row.cnpj),
      serie: String(row.serie),
      numero_inicial: String(row.numero_inicial),
      numero_final: String(row.numero_final),
      justificativa: String(row.justificativa),
    });
    if (out.kind === 'ok') return this.#settle(id, out.body);
    if (out.kind === 'api-error') {
      this.#update(id, 'rejected', { mensagem: `${out.error.mensagem}`, status: null });
      return;
    }
    if (out.kind === 'never-sent') {
      this.#update(id, 'rejected', { mensagem: 'Sem conexão com a Focus: nada foi enviado. Tente de novo quando a internet voltar.', status: null });
    }
    // unknown-outcome: stays pending, resolved at the next start (or the next look at the list).
  }

  async #settle(id: number, body: FocusInutilizacao): Promise<void> {
    const ok = body.status === 'autorizado';
    let xmlPath: string | null = null;
    if (ok && body.caminho_xml) {
      const xml = await this.#d.api.download(body.caminho_xml);
      if (xml.kind === 'ok') {
        const d = new Date(this.#d.clock());
        const dir = inutilizacaoXmlDir(this.#d.archiveDir, this.#d.cnpj(), `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}`);
        const row = this.#d.db.prepare('SELECT serie, numero_inicial, numero_final FROM inutilizacoes WHERE id = ?').get(id)!;
        xmlPath = join(dir, `inut-${String(row.serie)}-${Number(row.numero_inicial)}-${Number(row.numero_final)}.xml`);
        writeFileAtomic(xmlPath, xml.body, 0o644);
      }
    }
    this.#update(id, ok ? 'authorized' : 'rejected', {
      status: body.status_sefaz ?? null,
      mensagem: body.mensagem_sefaz ?? null,
      caminho: body.caminho_xml ?? null,
      xmlPath,
    });
  }

  #update(
    id: number,
    state: 'authorized' | 'rejected',
    f: { status: string | null; mensagem: string | null; caminho?: string | null; xmlPath?: string | null },
  ): void {
    transaction(this.#d.db, () => {
      this.#d.db
        .prepare(
          "UPDATE inutilizacoes SET state = ?, status_sefaz = ?, mensagem_sefaz = ?, caminho_xml = ?, xml_path = ?, updated_ms = ? WHERE id = ? AND state = 'pending'",
        )
        .run(state, f.status, f.mensagem, f.caminho ?? null, f.xmlPath ?? null, this.#d.clock(), id);
      this.#settleEffect(this.#d.db.prepare('SELECT * FROM inutilizacoes WHERE id = ?').get(id)!);
    });
  }

  /** The row's answer settles its side effect (authorized: done; rejected: failed). */
  #settleEffect(row: Record<string, unknown>): void {
    if (row.side_effect_id === null || row.side_effect_id === undefined || row.state === 'pending') return;
    this.#effects.settle(Number(row.side_effect_id), row.state === 'authorized' ? 'done' : 'failed', {
      state: String(row.state),
      status_sefaz: row.status_sefaz ?? null,
    });
  }
}

function toView(r: Record<string, unknown>): InutilizacaoView {
  return {
    id: Number(r.id),
    serie: String(r.serie),
    from: Number(r.numero_inicial),
    to: Number(r.numero_final),
    justificativa: String(r.justificativa),
    state: String(r.state) as InutilizacaoView['state'],
    createdMs: Number(r.created_ms),
    message: r.mensagem_sefaz == null ? null : String(r.mensagem_sefaz),
  };
}
