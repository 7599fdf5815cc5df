#!/usr/bin/env node
// Batch canonicalizer for the differential test (tests/canon_differential.rs).
//
// Reads JSON Lines on stdin (one JSON-LD document per line) and writes one
// JSON line per input line to stdout, in order:
//   {"ok": "<canonical N-Quads>"}  or  {"error": "<message>"}
// It canonicalizes exactly as the peers' canon.mjs does (tests/peers): the
// eddsa-rdfc-2022 cryptosuite's canonize (jsonld.js toRDF in safe mode +
// rdf-canonize RDFC-1.0) with the peers' offline document loader. One Node
// process serves the whole batch.
//
// usage: node canon-batch.mjs [--peer PEER_DIR] [--context URL=FILE]...
// PEER_DIR defaults to $PEER_JS, then to tests/peers beside this folder.
import {parseArgs} from 'node:util';
import {createInterface} from 'node:readline';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

// Resolves an ES module package from the peer's node_modules (bare specifiers
// would otherwise resolve relative to this script, outside the peer).
function packageEntry(peerDir, name) {
  const dir = path.join(peerDir, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  let entry = pkg.exports;
  while(entry && typeof entry === 'object') {
    entry = entry['.'] ?? entry.import ?? entry.default ?? entry.node;
  }
  entry = entry ?? pkg.module ?? pkg.main ?? 'index.js';
  return pathToFileURL(path.join(dir, entry)).href;
}

function message(e) {
  let msg = e?.message ?? String(e);
  if(e?.name && e.name !== 'Error') {
    msg = `${e.name}: ${msg}`;
  }
  const event = e?.details?.event;
  if(event) {
    msg += ` [${event.code}: ${event.message}]`;
  }
  const cause = e?.details?.cause;
  if(cause?.message) {
    msg += ` (cause: ${cause.message})`;
  }
  return msg.replace(/\s+/g, ' ');
}

async function main() {
  const {values} = parseArgs({
    options: {
      peer: {type: 'string'},
      context: {type: 'string', multiple: true}
    }
  });
  const peerDir = path.resolve(values.peer ?? process.env.PEER_JS ??
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers'));
  if(!existsSync(path.join(peerDir, 'node_modules'))) {
    throw new Error(`no node_modules in peer dir "${peerDir}" (pass --peer DIR)`);
  }
  const {cryptosuite} = await import(
    packageEntry(peerDir, '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'));
  const {createLoader, documentArgs} = await import(
    pathToFileURL(path.join(peerDir, 'lib', 'loader.mjs')).href);
  const documentLoader = createLoader({extra: documentArgs(values.context ?? [])});

  const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
  for await (const line of lines) {
    if(line.trim() === '') {
      continue;
    }
    let result;
    try {
      const doc = JSON.parse(line);
      delete doc.proof;
      result = {ok: await cryptosuite.canonize(doc, {documentLoader})};
    } catch(e) {
      result = {error: message(e)};
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}

main().catch(e => {
  console.error(`canon-batch: ${message(e)}`);
  process.exitCode = 2;
});
