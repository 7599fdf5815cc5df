#!/usr/bin/env node
// Verifies a credential (or a presentation) with @digitalcredentials/verifier-core, the
// verifier inside Learner Credential Wallet, called as the wallet calls it:
//   verifyCredential({credential, knownDIDRegistries})  and  verifyPresentation({presentation}).
// The verifier loads what it does not bundle over HTTP(S) (contexts, status lists, did:web,
// registries, the OB 3.0 JSON Schema). Here nothing reaches the network: `fetch` is replaced
// before the verifier is loaded and answers only from
//   - the files given (--status-list FILE under the list's id, --serve URL=FILE),
//   - the standard contexts of ./lib/loader.mjs (published on the web, so a wallet gets them),
//   - the OB 3.0 AchievementCredential JSON Schema, from ../../schemas/ (the verifier fetches
//     it for its informational schema check).
// Any other URL gets a 404, as an unpublished URL would, and is listed under "refused".
//
// Prints JSON: {verified, kind, log, errors, messages, badge, schema?, refused, fetched, …}.
//   verified: the verifier's own checks about the credential passed: no fatal error, and
//             valid_signature, expiration and every *_status entry in its log are valid.
//             registered_issuer is reported but not counted: no DCC registry is loaded
//             (--registries FILE to give one), so it is false for every issuer here.
//   badge:    what the wallet shows for this result ("Verified", "Warning", "Not Verified").
// Exit 0 verified, 1 not verified, 2 could not run: bad usage, unreadable input, or a URL the
// answer needed was refused (then the result says what the verifier would say without it).
import {parseArgs} from 'node:util';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {UsageError, documentArgs, readJson, standardContexts, statusListArgs} from
  './lib/loader.mjs';
import {describe, hasType, runMain} from './lib/report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OB_SCHEMA_URL =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const OB_SCHEMA_FILE = path.join(HERE, '..', '..', 'schemas',
  'ob_v3p0_achievementcredential_schema.json');

const USAGE = `node lcw-verify.mjs [options] FILE|-
  --status-list FILE       a status list credential, served under its id (repeatable)
  --serve URL=FILE         serve FILE (JSON) under URL (repeatable)
  --registries FILE        the knownDIDRegistries list to pass (default: none)
  --unsigned-presentation  the presentation has no proof of its own`;

// Everything the verifier fetches goes through here.
function offlineFetch(documents, fetched, refused) {
  return async function fetch(input) {
    const url = typeof input === 'string' ? input : input?.url ?? String(input);
    fetched.push(url);
    const key = url.replace(/#.*$/, '');
    if(documents.has(key)) {
      return new Response(JSON.stringify(documents.get(key)), {
        status: 200, headers: {'content-type': 'application/json'}
      });
    }
    refused.push(url);
    return new Response(`not served offline: ${url}`, {
      status: 404, statusText: 'Not Found', headers: {'content-type': 'text/plain'}
    });
  };
}

// JSON without the echoed credential, and with errors as {name, message}.
function plain(value) {
  return JSON.parse(JSON.stringify(value, (key, v) => {
    if(key === 'credential' || key === 'stack' || key === 'stackTrace') {
      return undefined;
    }
    if(v instanceof Error) {
      return {name: v.name, message: describe(v)};
    }
    return v;
  }));
}

// The verifier's answer about one credential, summarised.
function summarise(result) {
  const log = (result.log ?? []).map(e => ({
    id: e.id,
    valid: e.valid,
    ...(e.error ? {error: {name: e.error.name, message: e.error.message}} : {}),
    ...(e.matchingIssuers ? {matchingIssuers: e.matchingIssuers.length} : {})
  }));
  const errors = (result.errors ?? []).map(e => ({
    name: e.name,
    message: typeof e.message === 'string' ? e.message : describe(e.message)
  }));
  const byId = Object.fromEntries(log.map(e => [e.id, e]));
  const counted = log.filter(e => e.id !== 'registered_issuer');
  const verified = errors.length === 0 && byId.valid_signature?.valid === true &&
    counted.every(e => e.valid === true);
  const messages = [
    ...errors.map(e => `${e.name}: ${e.message}`),
    ...log.filter(e => e.valid !== true).map(e =>
      `${e.id}: ${e.error ? `${e.error.name}: ${e.error.message}` : 'false'}`)
  ];
  // The wallet (app/lib/validate.ts, CredentialStatusBadges) drops a status entry whose list
  // was not found, then shows "Not Verified" when the signature check is missing or false or
  // the revocation check is false, "Warning" when expiration or registered_issuer is missing
  // or false, else "Verified".
  const walletLog = log.filter(e => !(e.id === 'revocation_status' &&
    e.error?.name === 'status_list_not_found'));
  const flag = id => walletLog.find(e => e.id === id)?.valid;
  const badge = errors.length > 0 || flag('valid_signature') !== true ||
    flag('revocation_status') === false ? 'Not Verified' :
    flag('expiration') !== true || flag('registered_issuer') !== true ? 'Warning' :
      'Verified';
  const schema = (result.additionalInformation ?? []).find(e => e.id === 'schema_check');
  return {
    verified, log, errors, messages,
    badge,
    ...(schema ? {schema: plain(schema.results)} : {})
  };
}

async function main(argv) {
  const {values: o, positionals} = parseArgs({args: argv, allowPositionals: true, options: {
    'status-list': {type: 'string', multiple: true},
    serve: {type: 'string', multiple: true},
    registries: {type: 'string'},
    'unsigned-presentation': {type: 'boolean'},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  if(positionals.length !== 1) {
    throw new UsageError('give exactly one input FILE, or - for stdin');
  }
  const doc = readJson(positionals[0]);
  if(doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError('the input must be a JSON object');
  }
  const knownDIDRegistries = o.registries ? readJson(o.registries) : [];
  if(!Array.isArray(knownDIDRegistries)) {
    throw new UsageError('--registries must hold a JSON array of registries');
  }
  const documents = new Map([
    ...standardContexts(),
    [OB_SCHEMA_URL, readJson(OB_SCHEMA_FILE)],
    ...statusListArgs(o['status-list']),
    ...documentArgs(o.serve, '--serve')
  ]);
  const fetched = [];
  const refused = [];
  globalThis.fetch = offlineFetch(documents, fetched, refused);
  // The verifier's libraries log to stdout; keep stdout for the report.
  console.log = console.error;
  const verifier = await import('@digitalcredentials/verifier-core');

  let report;
  if(hasType(doc, 'VerifiablePresentation')) {
    // The wallet passes no knownDIDRegistries here; verifier-core then throws on the first
    // credential ("Could not verify presentation."), so the list (default empty) is passed.
    const result = await verifier.verifyPresentation({
      presentation: doc,
      knownDIDRegistries,
      ...(o['unsigned-presentation'] ? {unsignedPresentation: true} : {})
    });
    const credentials = (result.credentialResults ?? []).map(summarise);
    const signature = result.presentationResult?.signature;
    const errors = [...(result.errors ?? []), ...(result.presentationResult?.errors ?? [])]
      .map(e => ({
        name: e.name,
        message: describe(e.message),
        ...(e.stackTrace ? {cause: describe(e.stackTrace)} : {})
      }));
    report = {
      verified: errors.length === 0 &&
        (signature === 'valid' || signature === 'unsigned') &&
        credentials.length > 0 && credentials.every(c => c.verified),
      kind: 'presentation',
      signature,
      errors,
      messages: [
        ...errors.map(e => `${e.name}: ${e.message}`),
        ...(signature === 'invalid' ? ['presentation signature: invalid'] : []),
        ...credentials.flatMap((c, i) => c.messages.map(m => `verifiableCredential[${i}]: ${m}`))
      ],
      credentials
    };
  } else {
    const result = await verifier.verifyCredential({credential: doc, knownDIDRegistries});
    report = {kind: 'credential', ...summarise(result)};
  }
  report.refused = [...new Set(refused)];
  report.fetched = [...new Set(fetched)];
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return report.refused.length > 0 ? 2 : report.verified ? 0 : 1;
}

runMain(main, USAGE);
