// GS1 check digits (EAN-8, UPC-A, EAN-13, GTIN-14 share the mod-10 3/1 rule).

export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

export function withCheckDigit(body: string): string {
  return body + String(gtinCheckDigit(body));
}

/** GTIN-14 form, so 0789… and 789… find the same product. */
export function gtinKey(code: string): string {
  return code.padStart(14, '0');
}
