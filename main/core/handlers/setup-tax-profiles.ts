// "Configuração inicial", after the emitter (the shop's regime, CRT, is known): the starting tax
// profiles for that regime (shared/catalog/starters.ts), created in the real profile's own catalog
// when the manager accepts them. Skipping saves nothing; the register offers them again later.
import { starterTaxProfiles } from '../../../shared/catalog/starters.ts';
import { PosFailure } from '../errors.ts';
import type { Services } from '../services.ts';
import { markDone, requireRealSetup, setupState } from './setup.ts';
import type { Handlers } from './types.ts';

type Deps = Pick<Services, 'settings' | 'vault' | 'operators' | 'realCatalog' | 'clock'>;

export const setupTaxProfileHandlers: Handlers<'setup.saveTaxProfiles', Deps> = {
  async 'setup.saveTaxProfiles'(input, s) {
    requireRealSetup(s);
    const emitter = s.settings.get().emitter;
    if (!emitter) throw new PosFailure('setup_order', 'Salve primeiro os dados do emitente: os perfis fiscais dependem do regime tributário (CRT).');
    const offered = starterTaxProfiles(emitter.crt);
    const unknown = input.profileIds.filter((id) => !offered.some((p) => p.id === id));
    if (unknown.length > 0) {
      throw new PosFailure('invalid_input', 'Perfil fiscal inicial desconhecido para o regime da empresa. Recarregue a tela e escolha de novo.', [
        { path: 'profileIds', message: 'perfil desconhecido' },
      ]);
    }
    const catalog = s.realCatalog();
    // Accepting twice (a resumed setup) keeps what the manager may have edited since.
    const chosen = offered.filter((p) => input.profileIds.includes(p.id) && !catalog.profile(p.id));
    if (chosen.length > 0) catalog.saveProfiles(chosen, new Date(s.clock()).toISOString());
    markDone(s, 'taxProfiles');
    return setupState(s);
  },
};
