// Reads the outer structure of a PKCS#12 file and verifies its password MAC (RFC 7292 §4 and
// appendix B) before node-forge decrypts anything, so a wrong password, a file that is not a
// .pfx and an algorithm we cannot open are told apart by their structure — not by matching the
// English text of forge's exceptions.
import forge from 'node-forge';

export type PfxCheck =
  /** The MAC matches: the password is right. */
  | 'ok'
  /** No MAC (rare "no integrity" export): the password can only be tried by decrypting. */
  | 'no_mac'
  | 'wrong_password'
  | 'not_pkcs12'
  /** Public-key integrity mode, or a MAC digest we do not know. */
  | 'unsupported';

const OID_DATA = '1.2.840.113549.1.7.1';
const MAC_DIGESTS: Readonly<Record<string, () => forge.md.MessageDigest>> = {
  '1.3.14.3.2.26': () => forge.md.sha1.create(),
  '2.16.840.1.101.3.4.2.1': () => forge.md.sha256.create(),
  '2.16.840.1.101.3.4.2.2': () => forge.md.sha384.create(),
  '2.16.840.1.101.3.4.2.3': () => forge.md.sha512.create(),
};

const U = forge.asn1.Class.UNIVERSAL;
const T = forge.asn1.Type;

function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] | null {
  return node && Array.isArray(node.value) ? node.value : null;
}

function isType(node: forge.asn1.Asn1 | undefined, type: number): node is forge.asn1.Asn1 {
  return node !== undefined && node.tagClass === U && Number(node.type) === type;
}

/** The bytes of an OCTET STRING, also in its constructed (BER, chunked) form. */
function octets(node: forge.asn1.Asn1 | undefined): string | null {
  if (!isType(node, T.OCTETSTRING)) return null;
  if (typeof node.value === 'string') return node.value;
  let out = '';
  for (const part of node.value) {
    const b = octets(part);
    if (b === null) return null;
    out += b;
  }
  return out;
}

export function checkPfx(pfx: forge.asn1.Asn1, password: string): PfxCheck {
  const top = children(pfx);
  if (!isType(pfx, T.SEQUENCE) || !top || top.length < 2 || !isType(top[0], T.INTEGER)) return 'not_pkcs12';
  const authSafe = children(top[1]);
  if (!isType(top[1], T.SEQUENCE) || !authSafe || !isType(authSafe[0], T.OID)) return 'not_pkcs12';
  if (forge.asn1.derToOid(authSafe[0].value as string) !== OID_DATA) return 'unsupported';
  const data = octets(children(authSafe[1])?.[0]);
  if (data === null) return 'not_pkcs12';
  if (top.length < 3) return 'no_mac';

  const macData = children(top[2]);
  const digestInfo = children(macData?.[0]);
  const algorithm = children(digestInfo?.[0]);
  const digest = octets(digestInfo?.[1]);
  const salt = octets(macData?.[1]);
  if (!macData || !digestInfo || !algorithm || !isType(algorithm[0], T.OID) || digest === null || salt === null) return 'not_pkcs12';
  const makeMd = MAC_DIGESTS[forge.asn1.derToOid(algorithm[0].value as string)];
  if (!makeMd) return 'unsupported';
  const iterNode = macData[2];
  const iterations = isType(iterNode, T.INTEGER) ? forge.asn1.derToInteger(iterNode.value as string) : 1;
  if (!(iterations >= 1)) return 'not_pkcs12';

  const md = makeMd();
  const key = forge.pkcs12.generateKey(password, new forge.util.ByteStringBuffer(salt), 3, iterations, md.digestLength, md);
  const hmac = forge.hmac.create();
  hmac.start(makeMd(), key);
  hmac.update(data);
  return hmac.digest().getBytes() === digest ? 'ok' : 'wrong_password';
}
