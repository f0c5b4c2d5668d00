// The sample shop of demo mode. Its CNPJ and IE carry valid check digits so every fiscal rule
// runs for real against the sandbox; nothing issued for it has fiscal value.
import type { Emitter } from '../../shared/sale.ts';

export const DEMO_EMITTER: Emitter = {
  cnpj: '45286317000174',
  ie: '9012345663',
  name: 'PADARIA E MERCEARIA BOM DIA LTDA',
  tradeName: 'Padaria Bom Dia',
  crt: 1,
  uf: 'PR',
  address: {
    street: 'Rua XV de Novembro',
    number: '1200',
    district: 'Centro',
    city: 'Curitiba',
    cityCode: '4106902',
    cep: '80060000',
    phone: '4133334444',
  },
};
