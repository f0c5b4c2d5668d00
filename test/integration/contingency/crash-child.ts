// Child process of crash.test.ts: opens the journal left by the parent and drains the contingency
// backlog against the parent's sandbox until the parent kills it (SIGKILL, no clean-up at all).
// argv: <dir> <sandbox JSON {port,url,tokens,emitter,cnpj}>
import { makeContingencyRig, type SandboxRef } from './rig.ts';

const [dir, ref] = process.argv.slice(2) as [string, string];
const sandbox = JSON.parse(ref) as SandboxRef;
const rig = await makeContingencyRig({ dir, certificate: false, contingency: { concurrency: 2 } }, { sandbox });
process.stdout.write('ready\n');
for (;;) {
  await rig.contingency.runPass();
  await new Promise((r) => setTimeout(r, 20));
}
