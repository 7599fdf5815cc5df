#!/usr/bin/env node
// A DID Authentication presentation as Learner Credential Wallet makes one for a VC-API
// exchange: an empty VC 2.0 presentation whose `holder` is the wallet's did:key, signed with
// proof purpose `authentication` over the verifier's challenge (and domain, when it gave one).
// LCW signs with Ed25519Signature2020; eddsa-rdfc-2022 is the other suite a wallet may use.
// The key is the seed's, or a fresh random one: the wallet's DID is its own.
// Prints {"did": …, "verifiablePresentation": …}.
import {randomBytes} from 'node:crypto';
import {parseArgs} from 'node:util';

import * as vc from '@digitalbazaar/vc';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';

import {UsageError, createLoader} from './lib/loader.mjs';
import {createdOption, keyFromSeed, signingSuite} from './lib/keys.mjs';
import {runMain} from './lib/report.mjs';

const SUITES = ['Ed25519Signature2020', 'eddsa-rdfc-2022'];

const USAGE = `node didauth.mjs --challenge STR [options]
  --domain STR          the proof's domain (LCW's legacy credential request sends none)
  --suite NAME          ${SUITES.join(' | ')} (default Ed25519Signature2020, as LCW)
  --seed HEX64          the wallet's Ed25519 seed (default: a fresh random key)
  --holder DID          write this holder instead of the signer's own DID (a test of binding)
  --created ISO|none    proof.created (default now)`;

/** An Ed25519VerificationKey2020 key pair of the seed, named by its did:key (as LCW's DIDs). */
async function key2020FromSeed(seed) {
  const probe = await Ed25519VerificationKey2020.generate({seed});
  const did = `did:key:${probe.fingerprint()}`;
  const keyPair = await Ed25519VerificationKey2020.generate({seed, controller: did});
  keyPair.id = `${did}#${keyPair.fingerprint()}`;
  return {keyPair, did};
}

async function main(argv) {
  const {values: o} = parseArgs({args: argv, options: {
    challenge: {type: 'string'},
    domain: {type: 'string'},
    suite: {type: 'string', default: 'Ed25519Signature2020'},
    seed: {type: 'string'},
    holder: {type: 'string'},
    created: {type: 'string'},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  if(o.challenge === undefined) {
    throw new UsageError('--challenge is required');
  }
  const seedHex = o.seed ?? randomBytes(32).toString('hex');
  const date = createdOption(o.created);
  let suite;
  let did;
  if(o.suite === 'Ed25519Signature2020') {
    if(!/^[0-9a-fA-F]{64}$/.test(seedHex)) {
      throw new UsageError('--seed takes 64 hex digits (a 32-byte Ed25519 seed)');
    }
    const key = await key2020FromSeed(Uint8Array.from(Buffer.from(seedHex, 'hex')));
    did = key.did;
    suite = new Ed25519Signature2020({key: key.keyPair, ...(date === undefined ? {} : {date})});
  } else if(o.suite === 'eddsa-rdfc-2022') {
    const key = await keyFromSeed(seedHex);
    did = key.did;
    suite = signingSuite({keyPair: key.keyPair, name: o.suite, date});
  } else {
    throw new UsageError(`--suite must be one of ${SUITES.join(', ')}, not "${o.suite}"`);
  }
  const presentation = vc.createPresentation({holder: o.holder ?? did});
  const signed = await vc.signPresentation({
    presentation,
    suite,
    documentLoader: createLoader(),
    challenge: o.challenge,
    ...(o.domain === undefined ? {} : {domain: o.domain})
  });
  console.log(JSON.stringify({did, verifiablePresentation: signed}, null, 2));
  return 0;
}

runMain(main, USAGE);
