// Fixed-width text helpers for the thermal layout. Every function returns lines that are never
// longer than the width it was given, so a printer in font A never wraps a line by itself
// (a self-wrapped line would break the right-aligned money column).

/** Collapses runs of whitespace and trims: descriptions come from a catalog typed by people. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Splits a word longer than `width` into chunks, preferring to cut after '/', '?', '&', '.' (URLs). */
function splitLongWord(word: string, width: number): string[] {
  const out: string[] = [];
  let rest = word;
  while (rest.length > width) {
    let cut = width;
    const window = rest.slice(0, width);
    const soft = Math.max(window.lastIndexOf('/'), window.lastIndexOf('?'), window.lastIndexOf('&'), window.lastIndexOf('.'));
    // Only take a soft break when it keeps the line reasonably full.
    if (soft >= Math.floor(width / 2)) cut = soft + 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Greedy word wrap. `firstWidth` lets the first line be shorter (text after a code or label);
 * the continuation lines get `width`. Words longer than a line are cut.
 */
export function wrap(text: string, width: number, firstWidth = width): string[] {
  if (width < 1 || firstWidth < 1) throw new RangeError('largura de linha inválida');
  const words = squash(text).split(' ').filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  const limit = () => (lines.length === 0 ? firstWidth : width);
  for (const word of words) {
    const candidate = cur ? `${cur} ${word}` : word;
    if (candidate.length <= limit()) {
      cur = candidate;
      continue;
    }
    if (cur) lines.push(cur);
    if (word.length <= limit()) {
      cur = word;
      continue;
    }
    const chunks = splitLongWord(word, limit());
    // splitLongWord used the current limit for every chunk; re-split the tail if the limit grows.
    const first = chunks.shift() as string;
    lines.push(first);
    const tail = splitLongWord(chunks.join(''), width);
    cur = tail.pop() ?? '';
    lines.push(...tail);
  }
  if (cur) lines.push(cur);
  return lines.length ? lines : [''];
}

/**
 * Wraps segments that must not be broken inside (e.g. "Série 001", a date-time), joining as many
 * as fit on each line. A segment longer than the width falls back to word wrapping.
 */
export function wrapSegments(segments: readonly string[], width: number, sep = ' '): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const raw of segments) {
    const seg = squash(raw);
    if (!seg) continue;
    const candidate = cur ? `${cur}${sep}${seg}` : seg;
    if (candidate.length <= width) {
      cur = candidate;
      continue;
    }
    if (cur) lines.push(cur);
    if (seg.length <= width) {
      cur = seg;
    } else {
      const parts = wrap(seg, width);
      cur = parts.pop() ?? '';
      lines.push(...parts);
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * Word wrap with lines of similar length: same number of lines as the greedy wrap, but no lonely
 * last word under a centered heading ("… SEM VALOR / FISCAL" becomes two even lines).
 */
export function wrapBalanced(text: string, width: number): string[] {
  const greedy = wrap(text, width);
  if (greedy.length < 2) return greedy;
  const len = squash(text).length;
  for (let w = Math.ceil(len / greedy.length); w < width; w++) {
    const lines = wrap(text, w);
    if (lines.length === greedy.length) return lines;
  }
  return greedy;
}

/** Glue that keeps "450 g", "1,5 L", "2 L" on one line; restored to a space by `unglue`. */
const GLUE = '\uE000';
export function glueMeasures(text: string): string {
  return text.replace(/(\d) (?=(?:g|kg|mg|ml|l|L|m|cm|mm|un|UN|KG|ML|G|M)\b)/g, `$1${GLUE}`);
}
export function unglue(line: string): string {
  return line.replaceAll(GLUE, ' ');
}

export function center(text: string, width: number): string {
  if (text.length >= width) return text.slice(0, width);
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(left) + text;
}

export function right(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : ' '.repeat(width - text.length) + text;
}

/**
 * "label ........ value" with the value flush right. When both do not fit, the label wraps and
 * the value sits on the label's last line if it fits there, otherwise on a line of its own.
 */
export function labelValue(label: string, value: string, width: number): string[] {
  const l = squash(label);
  if (l.length + 1 + value.length <= width) {
    return [l + ' '.repeat(width - l.length - value.length) + value];
  }
  const labelLines = wrap(l, width);
  const last = labelLines[labelLines.length - 1] as string;
  if (last.length + 1 + value.length <= width) {
    labelLines[labelLines.length - 1] = last + ' '.repeat(width - last.length - value.length) + value;
    return labelLines;
  }
  return [...labelLines, right(value, width)];
}
