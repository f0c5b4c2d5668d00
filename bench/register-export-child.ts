// bench:register's month export, alone in a process so its peak RSS is its own. The RSS is taken
// before anything is imported (the bare runtime), after the export's modules are loaded, and at the
// peak (the kernel's high-water mark): the imports are dynamic so the first figure is the runtime's.
import { dirname, join } from 'node:path';
import type { FocusApi } from '../main/focus/types.ts';

const bareRssMb = process.memoryUsage().rss / 1_048_576;
const { openRegisterDb } = await import('../main/register/db.ts');
const { exportMonth } = await import('../main/reports/month-export.ts');
const startRssMb = process.memoryUsage().rss / 1_048_576;

const [path, archiveDir, cnpj, month] = process.argv.slice(2) as [string, string, string, string];
const db = openRegisterDb(path, Date.now());
// Every XML is local and no backup is asked for: an API with no methods makes any Focus call a crash.
const api = {} as FocusApi;
// Where the memory goes (sampled between the export's batches): V8 heap vs buffers outside it.
const peak = { heapMb: 0, externalMb: 0, rssMb: 0 };
const sample = setInterval(() => {
  const m = process.memoryUsage();
  peak.heapMb = Math.max(peak.heapMb, m.heapUsed / 1_048_576);
  peak.externalMb = Math.max(peak.externalMb, m.external / 1_048_576);
  peak.rssMb = Math.max(peak.rssMb, m.rss / 1_048_576);
}, 20);
const t = performance.now();
const c0 = process.cpuUsage();
const r = await exportMonth({ db, api, month, environment: 'homologacao', cnpj, archiveDir, outDir: join(dirname(path), 'exports') });
const ms = performance.now() - t;
const c = process.cpuUsage(c0);
clearInterval(sample);
db.close();
console.log(
  JSON.stringify({
    ms,
    cpuMs: (c.user + c.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    bareRssMb,
    startRssMb,
    peakHeapMb: peak.heapMb,
    peakExternalMb: peak.externalMb,
    notes: r.authorized + r.cancelled,
    bytes: r.bytes,
  }),
);
