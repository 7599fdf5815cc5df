#!/usr/bin/env node
// An OpenID4VP 1.0 wallet run by the Open Wallet Foundation's @openid4vc/openid4vp client
// against a live verifier: parse the openid4vp:// request, resolve it (client identifier prefix,
// DCQL query, version), sign a presentation of the given credentials with Digital Bazaar's
// libraries (challenge = the request's nonce, domain = its client_id, as OpenID4VP 1.0 Appendix
// B.1.3.2 says for ldp_vc), build the Authorization Response with the library (vp_token keyed by
// the DCQL credential query id) and submit it to the response_uri (direct_post).
// Prints {version, client, dcql, nonce, clientId, responsePayload, status, body}; exit 0 when
// the verifier answered 200, 1 when it answered otherwise or a step failed ({failedStep, error}),
// 2 when it could not run (usage).
import {parseArgs} from 'node:util';
import {createHash, randomBytes} from 'node:crypto';
import * as vc from '@digitalbazaar/vc';
import {Openid4vpClient} from '@openid4vc/openid4vp';
import {setGlobalConfig} from '@openid4vc/utils';

import {UsageError, createLoader, readJson} from './lib/loader.mjs';
import {SUITE_NAMES, keyFromSeed, signingSuite} from './lib/keys.mjs';
import {describe, runMain} from './lib/report.mjs';

const USAGE = `node oid4vp-wallet.mjs --request URI [options] CREDENTIAL_FILE...
  --request URI            openid4vp://?client_id=…&… (the request by value)
  --seed HEX64             the holder's Ed25519 seed (default: a fresh random key)
  --suite NAME             ${SUITE_NAMES.join(' | ')} (default eddsa-rdfc-2022)
  --challenge STR          sign this challenge instead of the request's nonce (a test)
  --domain STR             sign this domain instead of the request's client_id (a test)
  --allow-insecure-urls    let the library use http:// URLs (a loopback test server)`;

async function main(argv) {
  const {values: o, positionals} = parseArgs({args: argv, allowPositionals: true, options: {
    request: {type: 'string'},
    seed: {type: 'string'},
    suite: {type: 'string', default: 'eddsa-rdfc-2022'},
    challenge: {type: 'string'},
    domain: {type: 'string'},
    'allow-insecure-urls': {type: 'boolean'},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  if(!o.request) {
    throw new UsageError('--request is required');
  }
  setGlobalConfig({allowInsecureUrls: Boolean(o['allow-insecure-urls'])});
  const credentials = positionals.map(readJson);
  const {keyPair, did} = await keyFromSeed(o.seed ?? randomBytes(32).toString('hex'));

  const callbacks = {
    fetch,
    hash: (data, alg) => new Uint8Array(
      createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    verifyJwt: async () => {
      throw new Error('this wallet takes unsigned requests only');
    },
    signJwt: async () => {
      throw new Error('this wallet signs no JWTs');
    }
  };
  const client = new Openid4vpClient({callbacks});
  const report = {holder: did};
  let step = 'parse the request';
  try {
    const parsed = client.parseOpenid4vpAuthorizationRequest({authorizationRequest: o.request});
    step = 'resolve the request';
    const resolved = await client.resolveOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: parsed.params
    });
    const request = resolved.authorizationRequestPayload;
    report.version = resolved.version;
    report.client = {prefix: resolved.client.prefix, identifier: resolved.client.identifier};
    report.dcql = resolved.dcql?.query ?? null;
    report.nonce = request.nonce;
    report.clientId = request.client_id;
    const queryId = resolved.dcql?.query?.credentials?.[0]?.id;
    if(!queryId) {
      throw new Error('the request has no DCQL credential query');
    }
    step = 'sign the presentation';
    const presentation = vc.createPresentation({
      verifiableCredential: credentials.length > 0 ? credentials : undefined,
      holder: did
    });
    const signed = await vc.signPresentation({
      presentation,
      suite: signingSuite({keyPair, name: o.suite}),
      documentLoader: createLoader(),
      challenge: o.challenge ?? request.nonce,
      domain: o.domain ?? request.client_id
    });
    step = 'create the authorization response';
    const {authorizationResponsePayload} = await client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request,
      authorizationResponsePayload: {vp_token: {[queryId]: [signed]}}
    });
    report.responsePayload = authorizationResponsePayload;
    step = 'submit the authorization response';
    const {response} = await client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request,
      authorizationResponsePayload
    });
    report.status = response.status;
    report.body = await response.json().catch(() => null);
  } catch(e) {
    report.failedStep = step;
    report.error = describe(e);
    console.log(JSON.stringify(report, null, 2));
    return 1;
  }
  console.log(JSON.stringify(report, null, 2));
  return report.status === 200 ? 0 : 1;
}

runMain(main, USAGE);
