import fc from 'fast-check';
import { listValue } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { withDuck } from '../duckdb.js';
import { Rng } from './rng.js';
import { isValidUpn, makeUpn, upnCheckLetter, upnValidSql } from './upn.js';

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

describe('upnValidSql, the SQL twin of isValidUpn', () => {
  it('agrees with isValidUpn on valid UPNs, every single-character change of them and random strings', async () => {
    const rng = new Rng(20261122);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ #-';
    const candidates: string[] = ['', 'D332123424001', 'P33212342400A', 'P33212342400I', 'D33212342400', 'D3321234240011', 'd332123424001'];
    for (let i = 0; i < 300; i++) {
      const upn = makeUpn(Math.floor(rng.next() * 1000), Math.floor(rng.next() * 10000), Math.floor(rng.next() * 100), Math.floor(rng.next() * 1000));
      candidates.push(upn);
      const pos = Math.floor(rng.next() * 13);
      candidates.push(upn.slice(0, pos) + alphabet[Math.floor(rng.next() * alphabet.length)] + upn.slice(pos + 1));
      // a temporary UPN: the last character a letter, the check letter worked out for it
      const body = upn.slice(1, 12) + 'ABCDEFGHJKLMNPQRTUVWXYZ'[Math.floor(rng.next() * 23)];
      candidates.push(upnCheckLetter(body)! + body);
    }
    candidates.push(...fc.sample(fc.string({ minLength: 12, maxLength: 14 }), { numRuns: 2000, seed: 42 }).map((s) => s.toUpperCase()));
    const rows = await withDuck((duck) =>
      duck.all<{ upn: string; valid: boolean }>(`SELECT upn, ${upnValidSql('upn')} AS valid FROM (SELECT unnest($upns) AS upn)`, { upns: listValue(candidates) }),
    );
    expect(rows).toHaveLength(candidates.length);
    const valid = rows.filter((r) => r.valid).length;
    // Both answers really occur: about a third of the candidates are valid UPNs.
    expect(valid).toBeGreaterThan(500);
    expect(rows.length - valid).toBeGreaterThan(2000);
    for (const r of rows) expect(r.valid, JSON.stringify(r.upn)).toBe(isValidUpn(r.upn));
    const [nullRow] = await withDuck((duck) => duck.all<{ valid: boolean }>(`SELECT ${upnValidSql('CAST(NULL AS VARCHAR)')} AS valid`));
    expect(nullRow.valid).toBe(false);
  });
});
