// Benchmark output in the house format: one `name: value unit` line per figure on stdout, and the
// same figures as JSON in bench/results/<bench>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats.ts';

export interface Figure {
  name: string;
  value: number | string | boolean;
  unit?: string;
}

export class BenchReport {
  readonly bench: string;
  readonly figures: Figure[] = [];
  readonly meta: Record<string, unknown> = {};

  constructor(bench: string) {
    this.bench = bench;
  }

  /** Records and prints a figure right away (long runs show progress). */
  add(name: string, value: number | string | boolean, unit?: string): void {
    const v = typeof value === 'number' ? round(value) : value;
    const figure: Figure = unit === undefined ? { name, value: v } : { name, value: v, unit };
    this.figures.push(figure);
    console.log(`${name}: ${v}${unit ? ` ${unit}` : ''}`);
  }

  /** Writes bench/results/<bench>.json (or to `dir`); returns the path. */
  write(dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results')): string {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${this.bench}.json`);
    const values: Record<string, number | string | boolean> = {};
    const units: Record<string, string> = {};
    for (const f of this.figures) {
      values[f.name] = f.value;
      if (f.unit) units[f.name] = f.unit;
    }
    const doc = { bench: this.bench, at: new Date().toISOString(), node: process.version, ...this.meta, figures: values, units };
    writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
    return path;
  }
}
