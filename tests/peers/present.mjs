#!/usr/bin/env node
// Puts signed credentials in a presentation held by the did:key of a seed and signs it
// (proof purpose authentication, with challenge and optional domain). Prints the presentation.
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';

import {UsageError, createLoader, documentArgs, readJson} from './lib/loader.mjs';
import {SUITE_NAMES, createdOption, keyFromSeed, signingSuite} from './lib/keys.mjs';
import {runMain} from './lib/report.mjs';

const USAGE = `node present.mjs --seed HEX64 --challenge STR [options] CREDENTIAL_FILE...
  --domain STR          the proof's domain
  --suite NAME          ${SUITE_NAMES.join(' | ')} (default eddsa-rdfc-2022)
  --created ISO|none    proof.created (default now)
  --id URI              the presentation's id
  --context URL=FILE    serve FILE under URL besides the standard contexts (repeatable)`;

async function main(argv) {
  const {values: o, positionals} = parseArgs({args: argv, allowPositionals: true, options: {
    seed: {type: 'string'},
    challenge: {type: 'string'},
    domain: {type: 'string'},
    suite: {type: 'string', default: 'eddsa-rdfc-2022'},
    created: {type: 'string'},
    id: {type: 'string'},
    context: {type: 'string', multiple: true},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  if(o.challenge === undefined) {
    throw new UsageError('--challenge is required');
  }
  const {keyPair, did} = await keyFromSeed(o.seed);
  const suite = signingSuite({keyPair, name: o.suite, date: createdOption(o.created)});
  const credentials = positionals.map(readJson);
  const documentLoader = createLoader({extra: documentArgs(o.context)});
  const presentation = vc.createPresentation({
    verifiableCredential: credentials.length > 0 ? credentials : undefined,
    holder: did,
    ...(o.id ? {id: o.id} : {})
  });
  const signed = await vc.signPresentation({
    presentation, suite, documentLoader, challenge: o.challenge, domain: o.domain
  });
  console.log(JSON.stringify(signed, null, 2));
  return 0;
}

runMain(main, USAGE);
