#!/usr/bin/env node
// Signs an unsigned credential with @digitalbazaar/vc and an Ed25519 key given by its seed;
// the verification method is the key's did:key. Prints the signed credential.
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';

import {UsageError, createLoader, documentArgs, readJson} from './lib/loader.mjs';
import {SUITE_NAMES, createdOption, keyFromSeed, signingSuite} from './lib/keys.mjs';
import {runMain} from './lib/report.mjs';

const USAGE = `node issue.mjs --seed HEX64 [options] FILE|-
  --suite NAME          ${SUITE_NAMES.join(' | ')} (default eddsa-rdfc-2022)
  --created ISO|none    proof.created (default now; none leaves it out)
  --set-issuer          make the did:key the issuer (a missing issuer is always set)
  --context URL=FILE    serve FILE under URL besides the standard contexts (repeatable)
  --compact             one line of JSON`;

async function main(argv) {
  const {values: o, positionals} = parseArgs({args: argv, allowPositionals: true, options: {
    seed: {type: 'string'},
    suite: {type: 'string', default: 'eddsa-rdfc-2022'},
    created: {type: 'string'},
    'set-issuer': {type: 'boolean'},
    context: {type: 'string', multiple: true},
    compact: {type: 'boolean'},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  if(positionals.length !== 1) {
    throw new UsageError('give exactly one input FILE, or - for stdin');
  }
  const {keyPair, did} = await keyFromSeed(o.seed);
  const suite = signingSuite({keyPair, name: o.suite, date: createdOption(o.created)});
  const credential = readJson(positionals[0]);
  const documentLoader = createLoader({extra: documentArgs(o.context)});
  if(credential.issuer === undefined || (o['set-issuer'] && typeof credential.issuer !== 'object')) {
    credential.issuer = did;
  } else if(o['set-issuer']) {
    credential.issuer.id = did;
  }
  const signed = await vc.issue({credential, suite, documentLoader});
  console.error(`signed by ${keyPair.id}`);
  console.log(o.compact ? JSON.stringify(signed) : JSON.stringify(signed, null, 2));
  return 0;
}

runMain(main, USAGE);
