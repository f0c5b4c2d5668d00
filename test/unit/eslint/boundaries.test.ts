// The house rules are enforced by ESLint (eslint/boundaries.ts, run by npm run lint). These cases
// prove the rule fires on each forbidden import and stays quiet on the allowed ones.
import { resolve } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { boundaries } from '../../../eslint/boundaries.ts';

RuleTester.describe = describe;
RuleTester.it = it;

const root = resolve(import.meta.dirname, '../../..');
const at = (file: string) => resolve(root, file);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' } });
const forbidden = [{ messageId: 'forbidden' as const }];

tester.run('house/boundaries', boundaries, {
  valid: [
    { filename: at('shared/cart.ts'), code: "import { z } from 'zod'; import { cents } from './money.ts';" },
    { filename: at('shared/fiscal/chave.ts'), code: "import type { Uf } from './uf.ts'; export * from '../money.ts';" },
    {
      filename: at('renderer/app/App.tsx'),
      code: "import { useState } from 'react'; import { create } from 'zustand'; import type { PosApi } from '../../shared/contract.ts';",
    },
    { filename: at('renderer/vite.config.ts'), code: "import { defineConfig } from 'vite'; import { fileURLToPath } from 'node:url';" },
    { filename: at('main/index.ts'), code: "import { app } from 'electron';" },
    { filename: at('main/shell/window.ts'), code: "import { BrowserWindow } from 'electron'; import Store from 'electron-store';" },
    { filename: at('main/ipc/window.ts'), code: "import { BrowserWindow } from 'electron';" },
    { filename: at('main/focus/client.ts'), code: "import { Agent } from 'undici'; import { SaleError } from '../../shared/cart.ts';" },
    {
      filename: at('main/sandbox/server.ts'),
      code: "import { createServer } from 'node:http'; import { chave } from '../../shared/fiscal/chave.ts'; import { x } from './http.ts';",
    },
    { filename: at('store/server.ts'), code: "import pg from 'pg'; import { PushRequest } from '../shared/store/protocol.ts'; import { x } from './db.ts';" },
  ],
  invalid: [
    { filename: at('store/server.ts'), code: "import { hashPin } from '../main/auth/pin-hash.ts';", errors: forbidden },
    { filename: at('store/server.ts'), code: "import { app } from 'electron';", errors: forbidden },
    { filename: at('main/core/core.ts'), code: "import { StoreServer } from '../../store/server.ts';", errors: forbidden },
    { filename: at('shared/cart.ts'), code: "import { readFileSync } from 'node:fs';", errors: forbidden },
    { filename: at('shared/cart.ts'), code: "import { Journal } from '../main/db/journal.ts';", errors: forbidden },
    { filename: at('shared/receipt/model.ts'), code: "export { useCart } from '../../renderer/state/cart.ts';", errors: forbidden },
    { filename: at('renderer/app/App.tsx'), code: "import { Journal } from '../../main/db/journal.ts';", errors: forbidden },
    { filename: at('renderer/app/App.tsx'), code: "import { ipcRenderer } from 'electron';", errors: forbidden },
    { filename: at('renderer/state/cart.ts'), code: "const fs = await import('node:fs');", errors: forbidden },
    { filename: at('main/emission/engine.ts'), code: "import { app } from 'electron';", errors: forbidden },
    { filename: at('main/settings/settings.ts'), code: "import Store from 'electron-store';", errors: forbidden },
    { filename: at('main/sandbox/server.ts'), code: "import { FocusClient } from '../focus/client.ts';", errors: forbidden },
    { filename: at('main/sandbox/emission.ts'), code: "export * from '../emission/engine.ts';", errors: forbidden },
  ],
});
