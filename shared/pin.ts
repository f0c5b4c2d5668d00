// The PIN rule the login, the operator forms and the core share: 4 to 8 digits, and none of the
// guesses a thief tries first (one digit repeated, a run up or down, a pair repeated, years).
export type PinProblem = 'format' | 'repeated' | 'sequential' | 'pattern';

const MESSAGES: Record<PinProblem, string> = {
  format: 'O PIN deve ter de 4 a 8 números.',
  repeated: 'PIN fácil demais: não use o mesmo número repetido (como 0000 ou 1111).',
  sequential: 'PIN fácil demais: não use números em sequência (como 1234 ou 9876).',
  pattern: 'PIN fácil demais: não repita um par de números (como 1212) nem use um ano (como 1990).',
};

export function pinProblem(pin: string): PinProblem | null {
  if (!/^\d{4,8}$/.test(pin)) return 'format';
  if (/^(\d)\1+$/.test(pin)) return 'repeated';
  const d = [...pin].map(Number);
  const steps = d.slice(1).map((v, i) => (v - d[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequential';
  if (pin.length % 2 === 0 && pin.slice(0, 2).repeat(pin.length / 2) === pin) return 'pattern';
  if (pin.length === 4 && /^(19|20)\d\d$/.test(pin)) return 'pattern';
  return null;
}

export function pinProblemMessage(problem: PinProblem): string {
  return MESSAGES[problem];
}
