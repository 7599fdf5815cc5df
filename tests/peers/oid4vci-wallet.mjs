#!/usr/bin/env node
// An OpenID4VCI 1.0 wallet, pre-authorized code flow, run by the Open Wallet Foundation's
// @openid4vc/openid4vci client against a live issuer: resolve the credential offer, read the
// issuer and authorization-server metadata, get an access token with the one-time code,
// get a nonce, sign a key proof (openid4vci-proof+jwt, EdDSA) and request the credential.
// Prints {holder, keyMethod, version, offer, token, credentials}; exit 0 when a credential came
// back, 1 when a step failed ({failedStep, error, errorResponse}: the issuer's OAuth error),
// 2 when it could not run (usage).
import {parseArgs} from 'node:util';
import {createHash, randomBytes} from 'node:crypto';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {Openid4vciClient, setGlobalConfig} from '@openid4vc/openid4vci';
import {clientAuthenticationAnonymous} from '@openid4vc/oauth2';

import {UsageError} from './lib/loader.mjs';
import {describe, runMain} from './lib/report.mjs';

const USAGE = `node oid4vci-wallet.mjs --offer URI [options]
  --offer URI              openid-credential-offer://?credential_offer_uri=… (or the
                           credential offer URI itself)
  --tx-code CODE           the one-time code the institution gave the learner
  --seed HEX64             the wallet's Ed25519 key (default: a fresh random key)
  --key did-key|did-jwk|jwk  how the key proof names the key (default did-key)
  --allow-insecure-urls    let the library use http:// URLs (a loopback test server); it
                           accepts only https:// otherwise`;

const b64url = bytes => Buffer.from(bytes).toString('base64url');

async function main(argv) {
  const {values: o} = parseArgs({args: argv, options: {
    offer: {type: 'string'},
    'tx-code': {type: 'string'},
    seed: {type: 'string'},
    key: {type: 'string', default: 'did-key'},
    'allow-insecure-urls': {type: 'boolean'},
    help: {type: 'boolean', short: 'h'}
  }});
  if(o.help) {
    console.log(USAGE);
    return 0;
  }
  if(!o.offer) {
    throw new UsageError('--offer is required');
  }
  if(!['did-key', 'did-jwk', 'jwk'].includes(o.key)) {
    throw new UsageError(`--key must be did-key, did-jwk or jwk, not "${o.key}"`);
  }
  if(o.seed !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.seed)) {
    throw new UsageError('--seed takes 64 hex digits (a 32-byte Ed25519 seed)');
  }
  // The library's own switch; without it every URL must be https://.
  setGlobalConfig({allowInsecureUrls: Boolean(o['allow-insecure-urls'])});

  const seed = o.seed ? Uint8Array.from(Buffer.from(o.seed, 'hex')) :
    new Uint8Array(randomBytes(32));
  const keyPair = await Ed25519Multikey.generate({seed});
  const publicJwk = await Ed25519Multikey.toJwk({keyPair});
  let holder;
  let signer;
  if(o.key === 'did-key') {
    holder = `did:key:${keyPair.publicKeyMultibase}`;
    signer = {method: 'did', didUrl: `${holder}#${keyPair.publicKeyMultibase}`, alg: 'EdDSA'};
  } else if(o.key === 'did-jwk') {
    holder = `did:jwk:${b64url(JSON.stringify(publicJwk))}`;
    signer = {method: 'did', didUrl: `${holder}#0`, alg: 'EdDSA'};
  } else {
    holder = null; // the issuer makes a did:jwk of the key
    signer = {method: 'jwk', publicJwk, alg: 'EdDSA'};
  }

  const callbacks = {
    fetch,
    clientAuthentication: clientAuthenticationAnonymous(),
    generateRandom: n => new Uint8Array(randomBytes(n)),
    hash: (data, alg) => new Uint8Array(
      createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    signJwt: async (jwtSigner, {header, payload}) => {
      if(jwtSigner.alg !== 'EdDSA') {
        throw new Error(`this wallet signs EdDSA only, not ${jwtSigner.alg}`);
      }
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
      const signature = await keyPair.signer().sign({data: new TextEncoder().encode(input)});
      return {jwt: `${input}.${b64url(signature)}`, signerJwk: publicJwk};
    }
  };
  const client = new Openid4vciClient({callbacks});

  const report = {holder, keyMethod: o.key};
  let step = 'resolve the credential offer';
  try {
    const offer = await client.resolveCredentialOffer(o.offer);
    report.offer = {
      credentialIssuer: offer.credential_issuer,
      configurations: offer.credential_configuration_ids,
      txCode: offer.grants?.['urn:ietf:params:oauth:grant-type:pre-authorized_code']?.tx_code
    };
    step = 'resolve the issuer metadata';
    const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
    report.version = issuerMetadata.originalDraftVersion;
    const configurationId = offer.credential_configuration_ids[0];
    step = 'get an access token';
    const {accessTokenResponse} = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: offer, issuerMetadata, txCode: o['tx-code']
    });
    report.token = {
      tokenType: accessTokenResponse.token_type, expiresIn: accessTokenResponse.expires_in
    };
    step = 'get a nonce';
    const {c_nonce: nonce} = await client.requestNonce({issuerMetadata});
    step = 'sign the key proof';
    const proof = await client.createCredentialRequestJwtProof({
      issuerMetadata, credentialConfigurationId: configurationId, signer, nonce,
      issuedAt: new Date()
    });
    step = 'request the credential';
    const {credentialResponse} = await client.retrieveCredentials({
      issuerMetadata, accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: configurationId, proofs: {jwt: [proof.jwt]}
    });
    report.credentials = (credentialResponse.credentials ?? [])
      .map(c => (c && typeof c === 'object' && 'credential' in c) ? c.credential : c);
  } catch(e) {
    // The issuer's OAuth error, when there is one: the token endpoint's or the credential
    // endpoint's.
    report.failedStep = step;
    report.error = describe(e);
    report.errorResponse = e.errorResponse ??
      e.response?.credentialErrorResponseResult?.data ?? null;
    console.log(JSON.stringify(report, null, 2));
    return 1;
  }
  console.log(JSON.stringify(report, null, 2));
  return report.credentials.length > 0 ? 0 : 1;
}

runMain(main, USAGE);
