// Ed25519 keys from a 32-byte seed, named by their did:key, and the Data Integrity suites.
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createSignCryptosuite, createVerifyCryptosuite} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';

import {UsageError} from './loader.mjs';

export const SUITE_NAMES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'];

/** The key pair of a 64-hex-digit seed; its controller and id are did:key based. */
export async function keyFromSeed(hex) {
  if(typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new UsageError('--seed takes 64 hex digits (a 32-byte Ed25519 seed)');
  }
  const seed = Uint8Array.from(Buffer.from(hex, 'hex'));
  const {publicKeyMultibase} = await Ed25519Multikey.generate({seed});
  const did = `did:key:${publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.generate({seed, controller: did});
  return {keyPair, did};
}

/** `--created` as the suite wants it: undefined = now, null = no `created`. */
export function createdOption(value) {
  if(value === undefined) {
    return undefined;
  }
  if(value === 'none') {
    return null;
  }
  if(Number.isNaN(Date.parse(value))) {
    throw new UsageError(`--created "${value}" is not a date-time`);
  }
  return value;
}

export function signingSuite({keyPair, name, date}) {
  let cryptosuite;
  if(name === 'eddsa-rdfc-2022') {
    cryptosuite = rdfc;
  } else if(name === 'eddsa-jcs-2022') {
    cryptosuite = createSignCryptosuite();
  } else {
    throw new UsageError(`--suite must be one of ${SUITE_NAMES.join(', ')}, not "${name}"`);
  }
  return new DataIntegrityProof({signer: keyPair.signer(), date, cryptosuite});
}

/** Both EdDSA cryptosuites, for verification. */
export function verifyingSuites() {
  return [
    new DataIntegrityProof({cryptosuite: rdfc}),
    new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()})
  ];
}
