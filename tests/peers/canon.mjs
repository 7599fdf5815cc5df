#!/usr/bin/env node
// Prints the canonical N-Quads (RDFC-1.0) of a document without its proof, computed the way
// @digitalbazaar/eddsa-rdfc-2022-cryptosuite computes them before signing. Exit 2 on error.
import {parseArgs} from 'node:util';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

import {UsageError, createLoader, documentArgs, readJson} from './lib/loader.mjs';
import {runMain} from './lib/report.mjs';

const USAGE = `node canon.mjs [--context URL=FILE]... FILE|-`;

async function main(argv) {
  const {values, positionals} = parseArgs({args: argv, allowPositionals: true, options: {
    context: {type: 'string', multiple: true},
    help: {type: 'boolean', short: 'h'}
  }});
  if(values.help) {
    console.log(USAGE);
    return 0;
  }
  if(positionals.length !== 1) {
    throw new UsageError('give exactly one input FILE, or - for stdin');
  }
  const doc = readJson(positionals[0]);
  delete doc.proof;
  const documentLoader = createLoader({extra: documentArgs(values.context)});
  process.stdout.write(await cryptosuite.canonize(doc, {documentLoader}));
  return 0;
}

runMain(main, USAGE);
