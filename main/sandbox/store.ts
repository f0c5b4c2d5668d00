// The sandbox's memory: notes by (environment, ref), series counters, inutilizações, e-mails, hooks.
// Everything lives in maps; with a data dir every change is also written through to a node:sqlite
// key-value table (one row per object), so a restarted sandbox answers exactly as before.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Environment, SandboxEmail, SandboxHook, SandboxInutilizacao, SandboxNote } from './types.ts';

type Kind = 'note' | 'counter' | 'inut' | 'email' | 'hook' | 'meta';

const noteKey = (env: Environment, ref: string) => `${env}:${ref}`;
const numberKey = (cnpj: string, env: Environment, serie: number, numero: number) => `${cnpj}:${env}:${serie}:${numero}`;
const counterKey = (cnpj: string, env: Environment, serie: number) => `${cnpj}:${env}:${serie}`;

/** Statuses whose number SEFAZ knows about (cannot be reused or inutilized). */
const NUMBER_TAKEN: ReadonlySet<string> = new Set(['autorizado', 'cancelado', 'denegado']);

export interface NumberUse {
  ref: string;
  env: Environment;
  chave: string;
  /** The note itself, or the original attempt replaced by an automatic-contingency note. */
  role: 'note' | 'original';
}

export interface ChaveUse {
  noteKey: string;
  role: 'note' | 'original';
}

export class SandboxStore {
  private readonly notesByKey = new Map<string, SandboxNote>();
  private readonly counters = new Map<string, number>();
  private readonly inuts: SandboxInutilizacao[] = [];
  private readonly mails: SandboxEmail[] = [];
  private readonly hookMap = new Map<string, SandboxHook>();
  private readonly meta = new Map<string, unknown>();
  /** Derived indexes, rebuilt from notes (never persisted). */
  private readonly numbers = new Map<string, NumberUse>();
  private readonly numbersOfNote = new Map<string, string[]>();
  private readonly chaves = new Map<string, ChaveUse>();
  private readonly chavesOfNote = new Map<string, string[]>();

  private readonly db: DatabaseSync | null;
  private readonly upsert: StatementSync | null;
  private readonly remove: StatementSync | null;

  constructor(dataDir?: string) {
    if (!dataDir) {
      this.db = null;
      this.upsert = null;
      this.remove = null;
      return;
    }
    mkdirSync(dataDir, { recursive: true });
    this.db = new DatabaseSync(join(dataDir, 'focus-sandbox.sqlite'));
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS kv (kind TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, key))');
    this.upsert = this.db.prepare('INSERT INTO kv (kind, key, json) VALUES (?, ?, ?) ON CONFLICT(kind, key) DO UPDATE SET json = excluded.json');
    this.remove = this.db.prepare('DELETE FROM kv WHERE kind = ? AND key = ?');
    this.load();
  }

  private load(): void {
    const rows = this.db!.prepare('SELECT kind, key, json FROM kv ORDER BY rowid').all() as { kind: Kind; key: string; json: string }[];
    for (const row of rows) {
      const value: unknown = JSON.parse(row.json);
      switch (row.kind) {
        case 'note':
          this.notesByKey.set(row.key, value as SandboxNote);
          this.index(row.key, value as SandboxNote);
          break;
        case 'counter':
          this.counters.set(row.key, value as number);
          break;
        case 'inut':
          this.inuts.push(value as SandboxInutilizacao);
          break;
        case 'email':
          this.mails.push(value as SandboxEmail);
          break;
        case 'hook':
          this.hookMap.set(row.key, value as SandboxHook);
          break;
        case 'meta':
          this.meta.set(row.key, value);
          break;
      }
    }
  }

  private write(kind: Kind, key: string, value: unknown): void {
    this.upsert?.run(kind, key, JSON.stringify(value));
  }

  close(): void {
    this.db?.close();
  }

  // ---- meta ---------------------------------------------------------------------------------

  getMeta<T>(key: string): T | undefined {
    return this.meta.get(key) as T | undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.meta.set(key, value);
    this.write('meta', key, value);
  }

  /** A monotonically increasing sequence (protocol numbers, hook ids). */
  nextSeq(name: string): number {
    const n = (this.getMeta<number>(`seq:${name}`) ?? 0) + 1;
    this.setMeta(`seq:${name}`, n);
    return n;
  }

  // ---- notes ----------------------------------------------------------------------------------

  getNote(env: Environment, ref: string): SandboxNote | undefined {
    return this.notesByKey.get(noteKey(env, ref));
  }

  putNote(note: SandboxNote): void {
    const key = noteKey(note.env, note.ref);
    this.notesByKey.set(key, note);
    this.index(key, note);
    this.write('note', key, note);
  }

  allNotes(): SandboxNote[] {
    return [...this.notesByKey.values()];
  }

  noteByKey(key: string): SandboxNote | undefined {
    return this.notesByKey.get(key);
  }

  private index(key: string, note: SandboxNote): void {
    for (const k of this.numbersOfNote.get(key) ?? []) this.numbers.delete(k);
    for (const c of this.chavesOfNote.get(key) ?? []) this.chaves.delete(c);
    const nums: string[] = [];
    const chaves: string[] = [];
    if (note.chave && note.serie !== null && note.numero !== null && NUMBER_TAKEN.has(note.status)) {
      const k = numberKey(note.cnpj, note.env, note.serie, note.numero);
      this.numbers.set(k, { ref: note.ref, env: note.env, chave: note.chave, role: 'note' });
      nums.push(k);
      this.chaves.set(note.chave, { noteKey: key, role: 'note' });
      chaves.push(note.chave);
    }
    const orig = note.contingency?.original;
    if (orig) {
      const k = numberKey(note.cnpj, note.env, orig.serie, orig.numero);
      this.numbers.set(k, { ref: note.ref, env: note.env, chave: orig.chave, role: 'original' });
      nums.push(k);
      this.chaves.set(orig.chave, { noteKey: key, role: 'original' });
      chaves.push(orig.chave);
    }
    this.numbersOfNote.set(key, nums);
    this.chavesOfNote.set(key, chaves);
  }

  /** Who holds (cnpj, env, serie, numero) at SEFAZ, if anyone. */
  numberUse(cnpj: string, env: Environment, serie: number, numero: number): NumberUse | undefined {
    return this.numbers.get(numberKey(cnpj, env, serie, numero));
  }

  chaveUse(chave: string): ChaveUse | undefined {
    return this.chaves.get(chave);
  }

  // ---- counters -------------------------------------------------------------------------------

  getCounter(cnpj: string, env: Environment, serie: number): number | undefined {
    return this.counters.get(counterKey(cnpj, env, serie));
  }

  setCounter(cnpj: string, env: Environment, serie: number, next: number): void {
    const key = counterKey(cnpj, env, serie);
    this.counters.set(key, next);
    this.write('counter', key, next);
  }

  // ---- inutilizações, e-mails, hooks --------------------------------------------------------------

  addInutilizacao(inut: SandboxInutilizacao): void {
    this.inuts.push(inut);
    this.write('inut', String(this.nextSeq('inut')).padStart(10, '0'), inut);
  }

  inutilizacoes(): SandboxInutilizacao[] {
    return [...this.inuts];
  }

  isInutilized(cnpj: string, env: Environment, serie: number, numero: number): boolean {
    return this.inuts.some((i) => i.cnpj === cnpj && i.env === env && i.serie === serie && numero >= i.numeroInicial && numero <= i.numeroFinal);
  }

  addEmail(mail: SandboxEmail): void {
    this.mails.push(mail);
    this.write('email', String(this.nextSeq('email')).padStart(10, '0'), mail);
  }

  emails(): SandboxEmail[] {
    return [...this.mails];
  }

  putHook(hook: SandboxHook): void {
    this.hookMap.set(hook.id, hook);
    this.write('hook', hook.id, hook);
  }

  deleteHook(id: string): void {
    this.hookMap.delete(id);
    this.remove?.run('hook', id);
  }

  hooks(): SandboxHook[] {
    return [...this.hookMap.values()];
  }
}
