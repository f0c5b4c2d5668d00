// The caminho_* values Focus returns (§2.8), and the reverse: which document a GET path asks for.
import type { Environment } from './types.ts';

const root = (env: Environment) => (env === 'homologacao' ? '/arquivos_development' : '/arquivos');

/** AAAAMM of a date-time string as written (local date, not UTC). */
export function yearMonthOf(dateTime: string): string {
  return dateTime.slice(0, 4) + dateTime.slice(5, 7);
}

export function xmlPath(env: Environment, cnpj: string, dhEmi: string, chave: string): string {
  return `${root(env)}/${cnpj}/${yearMonthOf(dhEmi)}/XMLs/${chave}-nfe.xml`;
}

export function cancelXmlPath(env: Environment, cnpj: string, dhEmi: string, chave: string): string {
  return `${root(env)}/${cnpj}/${yearMonthOf(dhEmi)}/XMLs/${chave}-can.xml`;
}

export function danfePath(chave: string): string {
  return `/notas_fiscais_consumidor/NFe${chave}.html`;
}

/** `<AA><CNPJ><mod><serie3><ini9><fim9>` (the Id of infInut without "ID" and cUF). */
export function inutName(year2: string, cnpj: string, serie: number, ini: number, fim: number): string {
  return `${year2}${cnpj}65${String(serie).padStart(3, '0')}${String(ini).padStart(9, '0')}${String(fim).padStart(9, '0')}`;
}

export function inutXmlPath(env: Environment, cnpj: string, receivedYearMonth: string, name: string): string {
  return `${root(env)}/${cnpj}/${receivedYearMonth}/XMLs/${name}-inu.xml`;
}

export type FileRequest =
  | { kind: 'nfe' | 'can'; env: Environment; cnpj: string; yearMonth: string; chave: string }
  | { kind: 'inu'; env: Environment; cnpj: string; yearMonth: string; name: string }
  | { kind: 'danfe'; chave: string };

const XML_RE = /^\/(arquivos|arquivos_development)\/([0-9A-Z]{12}\d{2})\/(\d{6})\/XMLs\/([0-9A-Z]{44})-(nfe|can)\.xml$/;
const INU_RE = /^\/(arquivos|arquivos_development)\/([0-9A-Z]{12}\d{2})\/(\d{6})\/XMLs\/(\d{2}[0-9A-Z]{12}\d{2}65\d{21})-inu\.xml$/;
const DANFE_RE = /^\/notas_fiscais_consumidor\/NFe([0-9A-Z]{44})\.html$/;

export function parseFilePath(path: string): FileRequest | null {
  let m = XML_RE.exec(path);
  if (m) {
    return {
      kind: m[5] as 'nfe' | 'can',
      env: m[1] === 'arquivos' ? 'producao' : 'homologacao',
      cnpj: m[2] as string,
      yearMonth: m[3] as string,
      chave: m[4] as string,
    };
  }
  m = INU_RE.exec(path);
  if (m) {
    return { kind: 'inu', env: m[1] === 'arquivos' ? 'producao' : 'homologacao', cnpj: m[2] as string, yearMonth: m[3] as string, name: m[4] as string };
  }
  m = DANFE_RE.exec(path);
  if (m) return { kind: 'danfe', chave: m[1] as string };
  return null;
}
