// credentialStatus checking with @digitalbazaar/vc-bitstring-status-list. The library says
// `verified: true` and reports each bit; here a set bit whose purpose is revocation or
// suspension fails the credential. The status list itself must be served by the loader
// (`--status-list FILE`); it is verified with the same suites as the credential, and its
// issuer must be the credential's.
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

export function statusChecker({suite, ignore}) {
  return async ({credential, documentLoader}) => {
    if(ignore) {
      return {verified: true, skipped: true};
    }
    const entries = [credential.credentialStatus].flat();
    const other = entries.filter(e => e?.type !== 'BitstringStatusListEntry');
    if(other.length > 0) {
      return {verified: false, error: new Error(
        `credentialStatus of type ${other.map(e => JSON.stringify(e?.type)).join(', ')} ` +
        'is not checked here (only BitstringStatusListEntry)')};
    }
    let result;
    try {
      result = await checkStatus({
        credential, documentLoader, suite,
        verifyBitstringStatusListCredential: true,
        verifyMatchingIssuers: true
      });
    } catch(error) {
      return {verified: false, error};
    }
    if(!result.verified) {
      return result;
    }
    const set = (result.results ?? []).filter(r => r.status === true &&
      ['revocation', 'suspension'].includes(r.credentialStatus?.statusPurpose));
    if(set.length > 0) {
      const what = set.map(r => `${r.credentialStatus.statusPurpose} bit ` +
        `${r.credentialStatus.statusListIndex} of ${r.credentialStatus.statusListCredential}`);
      return {...result, verified: false,
        error: new Error(`status bit set: ${what.join('; ')}`)};
    }
    return result;
  };
}
