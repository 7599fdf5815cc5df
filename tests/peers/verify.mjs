#!/usr/bin/env node
// Verifies a credential or a presentation with @digitalbazaar/vc, offline, and prints a JSON
// report: {verified, kind, errors, proofs, status?, credentials?, warnings?, loaded?}.
// Exit 0 verified, 1 not verified, 2 could not run (bad usage, unreadable input, or the
// loader refused a URL the answer depended on: then "loaderError": true).
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';

import {REFUSAL, UsageError, createLoader, documentArgs, readJson, statusListArgs} from
  './lib/loader.mjs';
import {verifyingSuites} from './lib/keys.mjs';
import {statusChecker} from './lib/status.mjs';
import {hasType, resultMessages, runMain} from './lib/report.mjs';

const USAGE = `node verify.mjs [options] FILE|-
  --challenge STR          the challenge a presentation's proof must carry
  --domain STR             the domain a presentation's proof must carry
  --unsigned-presentation  the presentation has no proof of its own
  --no-issuer-check        check the proof purpose (assertionMethod) only, not that the
                           issuer controls the verification method
  --now ISO                the date-time for validity checks (default: now)
  --context URL=FILE       serve FILE under URL besides the standard contexts (repeatable)
  --status-list FILE       a status list credential, served under its id (repeatable)
  --ignore-status          do not check credentialStatus
  --trace                  list every URL the loader was asked for ("loaded")`;

function proofSummary(doc) {
  return [doc.proof ?? []].flat().map(p => ({
    type: p?.type, cryptosuite: p?.cryptosuite, proofPurpose: p?.proofPurpose,
    verificationMethod: p?.verificationMethod, created: p?.created
  }));
}

async function main(argv) {
  const {values: o, positionals} = parseArgs({args: argv, allowPositionals: true, options: {
    challenge: {type: 'string'},
    domain: {type: 'string'},
    'unsigned-presentation': {type: 'boolean'},
    'no-issuer-check': {type: 'boolean'},
    now: {type: 'string'},
    context: {type: 'string', multiple: true},
    'status-list': {type: 'string', multiple: true},
    'ignore-status': {type: 'boolean'},
    trace: {type: 'boolean'},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  if(positionals.length !== 1) {
    throw new UsageError('give exactly one input FILE, or - for stdin');
  }
  if(o.now !== undefined && Number.isNaN(Date.parse(o.now))) {
    throw new UsageError(`--now "${o.now}" is not a date-time`);
  }
  const doc = readJson(positionals[0]);
  if(doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError('the input must be a JSON object');
  }
  const documentLoader = createLoader({extra: [
    ...documentArgs(o.context), ...statusListArgs(o['status-list'])
  ]});
  const suite = verifyingSuites();
  const common = {
    suite, documentLoader,
    checkStatus: statusChecker({suite, ignore: o['ignore-status']}),
    ...(o.now ? {now: o.now} : {}),
    ...(o['no-issuer-check'] ?
      {purpose: new jsigs.purposes.AssertionProofPurpose()} : {})
  };

  const report = {verified: false, kind: 'credential', errors: [], proofs: proofSummary(doc)};
  const warnings = [];
  if(hasType(doc, 'VerifiablePresentation')) {
    report.kind = 'presentation';
    let challenge = o.challenge;
    const own = [doc.proof].flat()[0]?.challenge;
    if(challenge === undefined && !o['unsigned-presentation'] && typeof own === 'string') {
      challenge = own;
      warnings.push('no --challenge: the proof\'s own challenge was taken unchecked');
    }
    let result;
    try {
      result = await vc.verify({
        ...common, presentation: doc, challenge, domain: o.domain,
        unsignedPresentation: Boolean(o['unsigned-presentation'])
      });
    } catch(error) {
      result = {verified: false, error};
    }
    report.verified = result.verified === true;
    const credentials = result.credentialResults ?? [];
    report.errors = [
      ...resultMessages(result.presentationResult ?? {error: result.error}, 'presentation'),
      ...credentials.flatMap((r, i) => resultMessages(r, `verifiableCredential[${i}]`))
    ];
    report.credentials = credentials.map((r, i) => ({
      index: i, id: r.credentialId, verified: r.verified === true,
      errors: resultMessages(r, `verifiableCredential[${i}]`)
    }));
  } else {
    let result;
    try {
      result = await vc.verifyCredential({...common, credential: doc});
    } catch(error) {
      result = {verified: false, error};
    }
    report.verified = result.verified === true;
    report.errors = resultMessages(result, 'credential');
    if(result.statusResult?.results) {
      report.status = result.statusResult.results.map(r => ({
        statusPurpose: r.credentialStatus?.statusPurpose,
        statusListCredential: r.credentialStatus?.statusListCredential,
        statusListIndex: r.credentialStatus?.statusListIndex,
        bit: r.status
      }));
    }
  }
  if(report.verified) {
    report.errors = [];
  } else if(report.errors.length === 0) {
    report.errors.push('not verified, and the library gave no reason');
  }
  if(warnings.length > 0) {
    report.warnings = warnings;
  }
  if(o.trace) {
    report.loaded = [...new Set(documentLoader.requested)];
  }
  const refused = !report.verified && report.errors.some(e => e.includes(REFUSAL));
  if(refused) {
    report.loaderError = true;
  }
  console.log(JSON.stringify(report, null, 2));
  return report.verified ? 0 : refused ? 2 : 1;
}

runMain(main, USAGE);
