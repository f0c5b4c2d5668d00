// One catalog import in its own process, so its peak memory (maxRSS) is the import's alone.
// Usage: node bench/catalog-worker.ts <file> <dataDir>; prints one JSON line.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Catalog } from '../main/catalog/catalog.ts';
import { CatalogImports } from '../main/catalog/import/service.ts';
import { LAYOUT } from '../main/core/layout.ts';

const [file, dataDir] = process.argv.slice(2) as [string, string];
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const cpu0 = cpu();
// The demo profile's catalog file: the bench host runs in demo mode (main/core/core.ts openCatalog).
const catalog = Catalog.open(LAYOUT.demoCatalog(dataDir));
const imports = new CatalogImports({ catalog: () => catalog, crt: () => 1, progress: () => {} });
const bytes = readFileSync(file);
const tRead = performance.now();
const preview = await imports.open(basename(file), bytes);
const tOpen = performance.now();
const check = await imports.check(preview.importId, preview.suggested);
const tCheck = performance.now();
const { result } = await imports.commit(preview.importId, preview.suggested, 'valid', new Date().toISOString());
const tCommit = performance.now();
const cpuCommit = cpu();
// A large import leaves the search index to the next turn (searches meanwhile read the file): the
// time until the till searches from memory again.
await catalog.list({ query: 'a', status: 'all' }, 1, 0, 1);
const tIndex = performance.now();
catalog.close();
process.stdout.write(
  JSON.stringify({
    totalMs: tCommit - t0,
    /** CPU (user + system, all threads) of the import: the figure a loaded machine does not inflate. */
    cpuMs: cpuCommit - cpu0,
    indexReadyMs: tIndex - t0,
    parseMs: tOpen - tRead,
    checkMs: tCheck - tOpen,
    commitMs: tCommit - tCheck,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rows: preview.rowCount,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    errorRows: check.errorRows,
  }) + '\n',
);
