// The house rules (ARCHITECTURE.md, "Dependency rules") as one ESLint rule, so a wrong import is
// reported where it is written. Each import is resolved to a repo path before it is judged, so
// `../../main/x.ts` and `main/x.ts` are the same thing.
import { dirname, relative, resolve, sep } from 'node:path';
import type { Rule } from 'eslint';

const root = resolve(import.meta.dirname, '..');

/** UI libraries the renderer may import besides shared/ (qrcode: its browser build, for the PIX QR). */
const RENDERER_LIBS = /^(react|react-dom|react-dom\/client|react\/jsx-runtime|zustand|zustand\/.+|zod|qrcode\/lib\/browser\.js)$/;
/** Packages only the shell may import. */
const SHELL_ONLY = /^(electron|electron\/.+|electron-store)$/;
/** The Electron shell: the only main files that may touch Electron. */
const isShell = (f: string): boolean => f === 'main/index.ts' || f === 'main/preload.ts' || f.startsWith('main/ipc/') || f.startsWith('main/shell/');

const toPosix = (p: string): string => p.split(sep).join('/');

/** Repo-relative path of a relative specifier; bare specifiers stay as they are. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return toPosix(relative(root, resolve(root, dirname(file), spec)));
}

/** Why `file` may not import `spec`, or null when it may. */
export function violation(file: string, spec: string): string | null {
  const relativeSpec = spec.startsWith('.');
  const t = target(file, spec);
  if (file.startsWith('shared/')) {
    if (relativeSpec ? !t.startsWith('shared/') : spec !== 'zod') {
      return 'shared/ is pure: it imports only shared/ and zod (no main, renderer, Node or DOM).';
    }
    return null;
  }
  if (file.startsWith('renderer/') && file !== 'renderer/vite.config.ts') {
    if (relativeSpec ? !(t.startsWith('renderer/') || t.startsWith('shared/')) : !RENDERER_LIBS.test(spec)) {
      return 'the renderer imports only renderer/, shared/ and UI libraries; it reaches the core through window.pos.';
    }
    return null;
  }
  if (file.startsWith('main/')) {
    if (!isShell(file) && SHELL_ONLY.test(spec)) {
      return 'only the shell (main/index.ts, main/preload.ts, main/shell/) imports electron or electron-store.';
    }
    if (file.startsWith('main/sandbox/') && relativeSpec && t.startsWith('main/') && !t.startsWith('main/sandbox/')) {
      return 'the Focus sandbox is written independently of the client and the engine: it imports only main/sandbox/ and shared/.';
    }
  }
  return null;
}

export const boundaries: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the house dependency rules between shared/, renderer/ and main/.' },
    schema: [],
    messages: { forbidden: "'{{spec}}' is not allowed here: {{why}}" },
  },
  create(context) {
    const file = toPosix(relative(root, context.filename));
    const check = (node: Rule.Node, source: unknown): void => {
      if (typeof source !== 'string') return;
      const why = violation(file, source);
      if (why) context.report({ node, messageId: 'forbidden', data: { spec: source, why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};

export default { rules: { boundaries } };
