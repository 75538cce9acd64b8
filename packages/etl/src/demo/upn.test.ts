import { describe, expect, it } from 'vitest';
import { isValidUpn, makeUpn, upnCheckLetter } from './upn.js';

describe('UPN check letter', () => {
  it('computes the DfE check letter by hand for a constructed UPN', () => {
    // 332 1234 24 001: Σ digit × weight(2..13) = 3·2+3·3+2·4+1·5+2·6+3·7+4·8+2·9+4·10+0·11+0·12+1·13 = 164;
    // 164 mod 23 = 3 → 'D'.
    expect(upnCheckLetter('332123424001')).toBe('D');
    expect(isValidUpn('D332123424001')).toBe(true);
  });

  it('accepts temporary UPNs ending in a letter, valued by its index in the table', () => {
    // body 33212342400A: as above but last char 'A' = 0 instead of 1·13 → 151; 151 mod 23 = 13 → 'P'.
    expect(upnCheckLetter('33212342400A')).toBe('P');
    expect(isValidUpn('P33212342400A')).toBe(true);
  });

  it('rejects corrupted UPNs', () => {
    const upn = makeUpn(332, 2001, 19, 7);
    expect(isValidUpn(upn)).toBe(true);
    // every single-digit substitution changes the sum by a non-multiple of 23 (weights < 23)
    for (let pos = 1; pos < 13; pos++) {
      const digit = Number(upn[pos]);
      const corrupted = upn.slice(0, pos) + String((digit + 1) % 10) + upn.slice(pos + 1);
      expect(isValidUpn(corrupted), corrupted).toBe(false);
    }
    // transposition of two different neighbouring digits is caught too
    const swapped = 'D332123424010';
    expect(isValidUpn(swapped)).toBe(false);
    expect(isValidUpn(upn.slice(0, 12))).toBe(false);
    expect(isValidUpn('I' + upn.slice(1))).toBe(false);
    expect(upnCheckLetter('33212342400I')).toBeNull();
    expect(upnCheckLetter('3321234240')).toBeNull();
  });

  it('builds valid UPNs for many parts', () => {
    for (let serial = 0; serial < 1000; serial += 37) {
      const upn = makeUpn(332, 3456, 24, serial);
      expect(upn).toHaveLength(13);
      expect(isValidUpn(upn)).toBe(true);
    }
  });
});
