import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { tempDir } from '../testing/fixtures.js';

const CSC = fileURLToPath(new URL('../../../../../shared/data/csc', import.meta.url));

let duck: Duck;
let root: string;
let layout: DataLayout;

beforeAll(async () => {
  duck = await openDuck();
});
afterAll(() => duck.close());
beforeEach(() => {
  root = tempDir();
  layout = dataLayout(path.join(root, 'data'));
});

const statusRows = (la: string) =>
  duck.all<{ status: string; n: number; children: number }>(
    `SELECT status, CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT la_child_id) AS INTEGER) AS children
     FROM read_parquet($f) GROUP BY status ORDER BY status`,
    { f: path.join(layout.marts, 'fct_child_status', `la=${la}`, 'part-0.parquet') },
  );

describe('SSDA903 tables (real synthetic sample from Data to Insight)', () => {
  it('loads header and episodes for the LA named with --la, and derives looked-after periods', async () => {
    const dir = path.join(root, 'in');
    for (const f of ['d2i_header.csv', 'd2i_episodes.csv']) {
      (await import('node:fs')).mkdirSync(dir, { recursive: true });
      copyFileSync(path.join(CSC, 'ssda903', f), path.join(dir, f));
    }
    const summary = await loadPath(dir, { layout, laCode: '975' });
    expect(summary.files.map((f) => [f.item.kind, f.status])).toEqual([
      ['ssda903-episodes', 'loaded'],
      ['ssda903-header', 'loaded'],
    ]);
    const [episodes] = await duck.all<{ n: number; children: number; dated: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT child) AS INTEGER) AS children,
              CAST(count(*) FILTER (WHERE try_strptime(decom, '%d/%m/%Y') IS NOT NULL) AS INTEGER) AS dated
       FROM read_csv($f, all_varchar = true)`,
      { f: path.join(CSC, 'ssda903', 'd2i_episodes.csv') },
    );
    const rows = await statusRows('975');
    expect(rows).toEqual([{ status: 'looked_after', n: episodes.dated, children: expect.any(Number) }]);
    expect(rows[0].children).toBeLessThanOrEqual(episodes.children);
    // Linked by UPN from the header table.
    const [{ linked }] = await duck.all<{ linked: number }>(
      `SELECT CAST(count(*) FILTER (WHERE upn IS NOT NULL) AS INTEGER) AS linked FROM read_parquet($f)`,
      { f: path.join(layout.marts, 'fct_child_status', 'la=975', 'part-0.parquet') },
    );
    expect(linked).toBeGreaterThan(0);
  });

  it('says which LA is missing when the file has none and the warehouse has no returns', async () => {
    const summary = await loadPath(path.join(CSC, 'ssda903', 'd2i_header.csv'), { layout });
    expect(summary.files[0].status).toBe('rejected');
    expect(summary.files[0].problems[0]).toMatchObject({ code: 'SOCIAL_CARE_LA_UNKNOWN', file: 'd2i_header.csv' });
    expect(summary.files[0].problems[0].message).toContain('--la');
  });

  it('rejects a bad date naming line and column, and writes nothing', async () => {
    const file = path.join(root, 'episodes.csv');
    writeFileSync(file, 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n1,01/02/2020,S,C2,N1,U1,PR1,,X1,,,,\n2,2020-13-45,S,C2,N1,U1,PR1,,X1,,,,\n');
    const summary = await loadPath(file, { layout, laCode: '332' });
    expect(summary.files[0].status).toBe('rejected');
    expect(summary.files[0].problems).toContainEqual(expect.objectContaining({ code: 'SOCIAL_CARE_DATE_INVALID', line: 3, column: 'decom', file: 'episodes.csv' }));
    expect((await import('node:fs')).existsSync(path.join(layout.lake, 'social-care'))).toBe(false);
  });
});

describe('Children in Need census XML (real synthetic sample)', () => {
  it('takes the LA from the header and keeps every child; referrals with no further action are not periods in need', async () => {
    const summary = await loadPath(path.join(CSC, 'cin', 'd2i_fake_CIN_data.xml'), { layout });
    expect(summary.files[0]).toMatchObject({ status: 'loaded' });
    expect(summary.files[0].summary).toContain('332 children for LA 975');
    const [{ children }] = await duck.all<{ children: number }>(`SELECT CAST(count(DISTINCT la_child_id) AS INTEGER) AS children FROM read_parquet($f)`, {
      f: path.join(layout.lake, 'social-care', 'cin', 'la=975', 'part-0.parquet'),
    });
    expect(children).toBe(332);
    // Every referral in this sample is marked ReferralNFA=true.
    expect(await statusRows('975')).toEqual([]);
  });

  it('reads CIN plans and child protection plans', async () => {
    const summary = await loadPath(path.join(CSC, 'cin', 'd2i_CIN_Census_2024.xml'), { layout });
    expect(summary.files[0].status).toBe('loaded');
    const [cin] = await duck.all<{ cpp: number; plans: number }>(
      `SELECT CAST(count(cpp_start) AS INTEGER) AS cpp, CAST(count(cin_plan_start) AS INTEGER) AS plans FROM read_parquet($f)`,
      { f: path.join(layout.lake, 'social-care', 'cin', `la=${summary.files[0].summary.match(/LA (\d+)/)![1]}`, 'part-0.parquet') },
    );
    expect(cin.cpp).toBeGreaterThan(0);
    expect(cin.plans).toBeGreaterThan(0);
  });

  it('rejects malformed XML with a clear error', async () => {
    const file = path.join(root, 'cin.xml');
    writeFileSync(file, '<Message><Header><CollectionDetails><Collection>CIN</Collection></CollectionDetails></Header><Children><Child></Message>');
    const summary = await loadPath(file, { layout, laCode: '332' });
    expect(summary.files[0].status).toBe('rejected');
    expect(summary.files[0].problems[0].code).toBe('XML_MALFORMED');
  });
});
