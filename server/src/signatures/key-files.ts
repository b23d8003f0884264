/**
 * Makes certificates and PKCS#12 key files in pure JS (pkijs + WebCrypto, no openssl): the demo
 * court's CA and its people's keys (db/demo-keys.ts), and the tests' own PKIs — a trusted CA, an
 * untrusted one, an expired certificate. Never used to make a real court's keys.
 *
 * Key files are what the browser's signing module (apps/web/src/lib/signing/sign-detached.ts)
 * opens: PBES2 (PBKDF2-SHA256 + AES-256-CBC) for the key and certificate bags, an HMAC-SHA256
 * integrity MAC, ECDSA P-256 keys.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const engine = new pkijs.CryptoEngine({ name: 'key-files', crypto: globalThis.crypto });
const DAY = 86_400_000;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const KU = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 };
const NAME_OIDS: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', CN: '2.5.4.3', SERIALNUMBER: '2.5.4.5' };

export type Issuer = { cert: pkijs.Certificate; key: CryptoKey };
export type Person = { cert: pkijs.Certificate; key: CryptoKey; issuer: Issuer };

export async function makeCa(commonName: string, options: { notBefore?: Date; notAfter?: Date; serial?: number } = {}): Promise<Issuer> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await makeCertificate({
    subject: { C: 'KZ', O: 'e-Zal', CN: commonName },
    publicKey: keys.publicKey,
    signer: keys.privateKey,
    ca: true,
    notBefore: options.notBefore ?? new Date(now - 3650 * DAY),
    notAfter: options.notAfter ?? new Date(now + 3650 * DAY),
    serial: options.serial ?? 1,
  });
  return { cert, key: keys.privateKey };
}

/** A personal signing certificate, subject serialNumber `IIN<iin>` as the NCA issues them. */
export async function issuePerson(issuer: Issuer, person: { fullName: string; iin: string; notBefore?: Date; notAfter?: Date; serial?: number }): Promise<Person> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await makeCertificate({
    subject: { C: 'KZ', CN: person.fullName, SERIALNUMBER: `IIN${person.iin}` },
    publicKey: keys.publicKey,
    signer: issuer.key,
    issuerName: issuer.cert.subject,
    notBefore: person.notBefore ?? new Date(now - 30 * DAY),
    notAfter: person.notAfter ?? new Date(now + 3 * 365 * DAY),
    serial: person.serial ?? Math.floor(Math.random() * 2 ** 31),
  });
  return { cert, key: keys.privateKey, issuer };
}

/** The PKCS#12 key file of `person`, protected by `password`; the CA's certificate rides along. */
export async function makeKeyFile(person: Person, password: string, options: { iterations?: number } = {}): Promise<Uint8Array> {
  const iterations = options.iterations ?? 100_000;
  const pass = new TextEncoder().encode(password).buffer as ArrayBuffer;
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', person.key);
  const keyInfo = pkijs.PrivateKeyInfo.fromBER(pkcs8);
  const encryption: Parameters<pkijs.PKCS8ShroudedKeyBag['makeInternalValues']>[0] = {
    password: pass,
    // pkijs makes the IV itself for AES-CBC; its type asks for one anyway.
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as unknown as Parameters<pkijs.PKCS8ShroudedKeyBag['makeInternalValues']>[0]['contentEncryptionAlgorithm'],
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: iterations,
  };
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo });
  await keyBag.makeInternalValues(encryption, engine);
  const certBags = [person.cert, person.issuer.cert].map((cert) => new pkijs.SafeBag({ bagId: '1.2.840.113549.1.12.10.1.3', bagValue: new pkijs.CertBag({ parsedValue: cert }) }));
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: '1.2.840.113549.1.12.10.1.2', bagValue: keyBag })] }) },
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
          ],
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [{}, encryption] }, engine);
  await pfx.makeInternalValues({ password: pass, iterations, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' } as pkijs.MakeInternalValuesParams, engine);
  return new Uint8Array(pfx.toSchema().toBER(false));
}

export function toPem(cert: pkijs.Certificate): string {
  const b64 = Buffer.from(cert.toSchema().toBER(false)).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function newKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function makeCertificate(o: {
  subject: Record<string, string>;
  publicKey: CryptoKey;
  signer: CryptoKey;
  issuerName?: pkijs.RelativeDistinguishedNames;
  ca?: boolean;
  notBefore: Date;
  notAfter: Date;
  serial: number;
}): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: o.serial });
  setName(cert.subject, o.subject);
  if (o.issuerName) cert.issuer = o.issuerName;
  else setName(cert.issuer, o.subject);
  cert.notBefore.value = o.notBefore;
  cert.notAfter.value = o.notAfter;
  const usage = o.ca ? KU.keyCertSign | KU.cRLSign : KU.digitalSignature | KU.nonRepudiation;
  const unusedBits = Math.log2(usage & -usage);
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: !!o.ca }).toSchema().toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: new asn1js.BitString({ valueHex: new Uint8Array([usage]).buffer, unusedBits }).toBER(false) }),
  ];
  await cert.subjectPublicKeyInfo.importKey(o.publicKey, engine);
  await cert.sign(o.signer, 'SHA-256', engine);
  return cert;
}

function setName(name: pkijs.RelativeDistinguishedNames, attrs: Record<string, string>) {
  name.typesAndValues = Object.entries(attrs).map(
    ([k, v]) =>
      new pkijs.AttributeTypeAndValue({
        type: NAME_OIDS[k],
        value: k === 'C' || k === 'SERIALNUMBER' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
      }),
  );
}
