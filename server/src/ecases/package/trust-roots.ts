/**
 * The court's trusted roots for e-case signatures. They come from the court's configuration
 * (ECASE_TRUST_ROOTS), never from a package: a package that brought its own root would vouch for
 * itself. A bad configuration is an error at start-up, not a rejected package later.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as pkijs from 'pkijs';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * `spec` is comma-separated paths of PEM files or of folders (every *.pem and *.crt in a folder).
 * Returns one PEM text per certificate; throws an Error naming the first bad path or certificate.
 */
export async function loadTrustRoots(spec: string): Promise<string[]> {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new Error('ECASE_TRUST_ROOTS names no certificate file or folder');
  const pems: string[] = [];
  for (const item of items) {
    for (const file of await certificateFiles(item)) pems.push(...(await readPemFile(file)));
  }
  return pems;
}

async function certificateFiles(item: string): Promise<string[]> {
  let stat;
  try {
    stat = await fs.stat(item);
  } catch (error) {
    throw new Error(`trust root "${item}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  if (!stat.isDirectory()) return [item];
  const files = (await fs.readdir(item)).filter((f) => /\.(pem|crt)$/i.test(f)).sort();
  if (files.length === 0) throw new Error(`trust root folder "${item}" has no *.pem or *.crt file`);
  return files.map((f) => path.join(item, f));
}

async function readPemFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`trust root "${file}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new Error(`trust root "${file}" holds no PEM certificate`);
  for (const block of blocks) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch (error) {
      throw new Error(`trust root "${file}" holds an invalid certificate: ${(error as Error).message}`, { cause: error });
    }
    if (!cert.ca) throw new Error(`trust root "${file}" holds a certificate that is not a CA: ${cert.subject.replaceAll('\n', ', ')}`);
  }
  return blocks;
}

/** PEM texts to pkijs certificates; throws on one that does not parse. */
export function parseTrustRoots(pems: string[]): pkijs.Certificate[] {
  return pems.map((pem, i) => {
    try {
      return pkijs.Certificate.fromBER(new X509Certificate(pem).raw);
    } catch (error) {
      throw new Error(`trust root #${i + 1} is not a valid PEM certificate: ${(error as Error).message}`, { cause: error });
    }
  });
}
