// A CPF/CNPJ with its mask, as people read it.
import { formatDocument } from '../../../shared/fiscal/cpf-cnpj.ts';

export function DocumentText({ value }: { value: string }) {
  return <span className="doc">{formatDocument(value)}</span>;
}
