// Turns the libraries' nested results and errors into flat, readable messages.
import {REFUSAL, UsageError} from './loader.mjs';

export function describe(error) {
  if(error === undefined || error === null) {
    return '';
  }
  if(typeof error === 'string') {
    return error;
  }
  let text = error.name && error.name !== 'Error' ?
    `${error.name}: ${error.message}` : String(error.message ?? error);
  // jsonld.js safe mode reports the offending term in details.event
  const event = error.details?.event;
  if(event) {
    const d = event.details ?? {};
    const what = d.property ?? d.type ?? d.term ?? d.value;
    text += ` [${event.code}${what === undefined ? '' :
      ` ${JSON.stringify(what)}`}: ${event.message}]`;
  }
  if(Array.isArray(error.errors) && error.errors.length > 0) {
    text += ` [${error.errors.map(describe).join('; ')}]`;
  }
  for(const cause of [error.cause, error.details?.cause]) {
    if(cause && cause !== error) {
      const inner = describe(cause);
      if(inner.startsWith(REFUSAL)) {
        return inner;
      }
      if(inner && !text.includes(inner)) {
        text += ` (cause: ${inner})`;
      }
    }
  }
  return text;
}

function walk(error, where, out) {
  if(!error) {
    return;
  }
  if(Array.isArray(error)) {
    error.forEach(e => walk(e, where, out));
  } else if(Array.isArray(error.errors) && error.errors.length > 0) {
    error.errors.forEach(e => walk(e, where, out));
  } else {
    out.push(`${where}: ${describe(error)}`);
  }
}

/** Messages for one result of `vc.verifyCredential` (or a presentation's proof result). */
export function resultMessages(result, where) {
  const out = [];
  if(!result) {
    return out;
  }
  walk(result.error, where, out);
  for(const [i, r] of (result.results ?? []).entries()) {
    if(r?.verified === false && r.error) {
      const suite = r.proof?.cryptosuite ?? r.proof?.type;
      walk(r.error, r.proof ? `${where}.proof[${i}] (${suite})` : where, out);
    }
    if(r?.purposeResult?.valid === false && r.purposeResult.error) {
      walk(r.purposeResult.error, `${where}.proof[${i}] purpose`, out);
    }
  }
  if(result.statusResult?.verified === false) {
    walk(result.statusResult.error ?? 'status check failed', `${where}.credentialStatus`, out);
  }
  // one line per message, under its most specific place
  const byMessage = new Map();
  for(const line of out) {
    const at = line.indexOf(': ');
    const [where_, text] = [line.slice(0, at), line.slice(at + 2)];
    const seen = byMessage.get(text);
    if(seen === undefined || where_.length > seen.length) {
      byMessage.set(text, where_);
    }
  }
  return [...byMessage].map(([text, place]) => `${place}: ${text}`);
}

export function hasType(doc, type) {
  return [doc?.type].flat().includes(type);
}

/**
 * Runs `main(argv)` (which returns an exit code) and turns what it throws into exit 2 with
 * a message: a usage error prints `usage` too.
 */
export function runMain(main, usage) {
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  }).catch(e => {
    const isUsage = e instanceof UsageError || String(e.code).startsWith('ERR_PARSE_ARGS');
    console.error(`${isUsage ? 'usage error' : 'error'}: ${describe(e)}`);
    if(isUsage) {
      console.error(usage);
    }
    process.exitCode = 2;
  });
}
