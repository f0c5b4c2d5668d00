// Versioned schema migrations. Each scope (the journal's own tables, and any other part of the app
// that keeps tables in the same file, e.g. the catalog) has its own version counter in
// `schema_versions`, so parts evolve independently. A file written by a newer app is refused
// before anything is written to it.
import type { DatabaseSync } from 'node:sqlite';
import { JournalError } from './errors.ts';

export interface Migration {
  /** 'journal' for the core tables; another name for a part that keeps its own tables here. */
  scope: string;
  /** 1, 2, 3… contiguous within a scope. */
  version: number;
  description: string;
  up: (db: DatabaseSync) => void;
}

const VERSIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_versions (
  scope TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT`;

/** The highest version per scope that this build knows. */
export function knownVersions(migrations: readonly Migration[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of migrations) out.set(m.scope, Math.max(out.get(m.scope) ?? 0, m.version));
  return out;
}

export function checkMigrationList(migrations: readonly Migration[]): void {
  const byScope = new Map<string, number[]>();
  for (const m of migrations) {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(m.scope)) throw new Error(`migration scope inválido: ${m.scope}`);
    byScope.set(m.scope, [...(byScope.get(m.scope) ?? []), m.version]);
  }
  for (const [scope, versions] of byScope) {
    const sorted = [...versions].sort((a, b) => a - b);
    sorted.forEach((v, i) => {
      if (v !== i + 1) throw new Error(`migrations of scope ${scope} must be numbered 1..n without gaps`);
    });
  }
}

/** Versions recorded in a database (empty map for a new file). */
export function readVersions(db: DatabaseSync): Map<string, number> {
  const exists = db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'").get();
  const out = new Map<string, number>();
  if (!exists) return out;
  for (const row of db.prepare('SELECT scope, version FROM schema_versions').all()) {
    out.set(String(row.scope), Number(row.version));
  }
  return out;
}

/** Throws (pt-BR) when the file holds a schema newer than this build understands. */
export function assertNotNewer(found: Map<string, number>, known: Map<string, number>): void {
  for (const [scope, version] of found) {
    const max = known.get(scope);
    if (max !== undefined && version > max) {
      throw new JournalError(
        'journal_newer',
        `O arquivo de vendas foi criado por uma versão mais nova do Balcão (esquema ${scope} v${version}; ` +
          `esta versão conhece até v${max}). Atualize o Balcão neste computador; o arquivo não foi alterado.`,
      );
    }
  }
}

/** Applies every pending migration, each one in its own transaction with its version bump. */
export function applyMigrations(db: DatabaseSync, migrations: readonly Migration[], nowIso: string): number {
  db.exec(VERSIONS_DDL);
  const current = readVersions(db);
  const pending = [...migrations]
    .filter((m) => m.version > (current.get(m.scope) ?? 0))
    .sort((a, b) => (a.scope === b.scope ? a.version - b.version : a.scope === 'journal' ? -1 : b.scope === 'journal' ? 1 : a.scope < b.scope ? -1 : 1));
  const bump = db.prepare(
    'INSERT INTO schema_versions(scope, version, updated_at) VALUES (?, ?, ?) ON CONFLICT(scope) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at',
  );
  for (const m of pending) {
    db.exec('BEGIN IMMEDIATE');
    try {
      m.up(db);
      bump.run(m.scope, m.version, nowIso);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new JournalError(
        'journal_migration_failed',
        `Não foi possível atualizar o arquivo de vendas (${m.scope} v${m.version}: ${m.description}). Nenhuma venda foi alterada.`,
        { cause: err },
      );
    }
  }
  return pending.length;
}
