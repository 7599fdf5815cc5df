#!/usr/bin/env node
// Signs N copies of a credential (each with its own id), then verifies the N signed copies,
// one after another in this process with @digitalbazaar/vc; one untimed warm-up round, then
// R timed rounds per suite. Prints the median signatures and verifications per second.
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';

import {UsageError, createLoader, readJson} from './lib/loader.mjs';
import {SUITE_NAMES, keyFromSeed, signingSuite, verifyingSuites} from './lib/keys.mjs';
import {resultMessages, runMain} from './lib/report.mjs';

const USAGE = `node bench.mjs N --credential FILE [--rounds R] [--suite NAME|all] [--json]`;
// The seed of keys-example/issuer.example.json (a public example key).
const SEED = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function round({template, n, did, keyPair, name, documentLoader}) {
  const docs = Array.from({length: n}, (_, i) => {
    const c = structuredClone(template);
    c.id = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    if(c.issuer !== null && typeof c.issuer === 'object') {
      c.issuer.id = did;
    } else {
      c.issuer = did;
    }
    return c;
  });
  const suite = signingSuite({keyPair, name});
  let t = process.hrtime.bigint();
  const signed = [];
  for(const credential of docs) {
    signed.push(await vc.issue({credential, suite, documentLoader}));
  }
  const signNs = Number(process.hrtime.bigint() - t);
  const verify = verifyingSuites();
  t = process.hrtime.bigint();
  for(const credential of signed) {
    const result = await vc.verifyCredential({credential, suite: verify, documentLoader});
    if(!result.verified) {
      throw new Error(`a signed copy did not verify: ${resultMessages(result, 'credential')}`);
    }
  }
  const verifyNs = Number(process.hrtime.bigint() - t);
  return {sign: n / (signNs / 1e9), verify: n / (verifyNs / 1e9)};
}

async function main(argv) {
  const {values: o, positionals} = parseArgs({args: argv, allowPositionals: true, options: {
    credential: {type: 'string'},
    rounds: {type: 'string', default: '5'},
    suite: {type: 'string', default: 'all'},
    json: {type: 'boolean'},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  const n = Number(positionals[0]);
  const rounds = Number(o.rounds);
  if(!Number.isInteger(n) || n < 1 || !Number.isInteger(rounds) || rounds < 1) {
    throw new UsageError('N and --rounds must be positive integers');
  }
  if(o.credential === undefined) {
    throw new UsageError('--credential FILE is required');
  }
  const names = o.suite === 'all' ? SUITE_NAMES : [o.suite];
  const template = readJson(o.credential);
  delete template.proof;
  const {keyPair, did} = await keyFromSeed(SEED);
  const documentLoader = createLoader();
  const out = {n, rounds, node: process.version, suites: {}};
  for(const name of names) {
    const args = {template, n, did, keyPair, name, documentLoader};
    await round(args);
    const runs = [];
    for(let i = 0; i < rounds; i++) {
      runs.push(await round(args));
    }
    out.suites[name] = {
      signPerSec: Math.round(median(runs.map(r => r.sign)) * 10) / 10,
      verifyPerSec: Math.round(median(runs.map(r => r.verify)) * 10) / 10,
      rounds: runs
    };
    if(!o.json) {
      console.log(`${name}: ${out.suites[name].signPerSec} sign/s, ` +
        `${out.suites[name].verifyPerSec} verify/s (median of ${rounds} rounds of ${n})`);
    }
  }
  if(o.json) {
    console.log(JSON.stringify(out, null, 2));
  }
  return 0;
}

runMain(main, USAGE);
