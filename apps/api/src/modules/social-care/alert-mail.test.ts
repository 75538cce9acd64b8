import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { startSmtpServer } from '../../test/smtp-server.js';
import { AlertMailer, digestText } from './alert-mail.js';

describe('alert emails through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer({ user: 'rollbook', password: 'mail-secret' });
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it('sends one digest per recipient, signed in with the configured account: counts and a link, nothing else', async () => {
    const config = loadConfig({
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_USER: 'rollbook', SMTP_PASSWORD: 'mail-secret',
      SMTP_FROM: 'Rollbook <rollbook@la.example>', SMTP_PORTAL_URL: 'https://rollbook.la.example/',
    });
    const mailer = new AlertMailer(config.mail);
    try {
      const result = await mailer.send([
        { to: 'sw@la.example', page: 'caseload', counts: { absence_spell: 2, below_90: 1 } },
        { to: 'vs@la.example', page: 'virtual-school', counts: { suspension: 1 } },
      ]);
      expect(result).toEqual({ sent: 2, failed: [] });
    } finally {
      mailer.close();
    }
    expect(smtp.received.map((m) => [m.user, m.from, m.to])).toEqual([
      ['rollbook', 'rollbook@la.example', ['sw@la.example']],
      ['rollbook', 'rollbook@la.example', ['vs@la.example']],
    ]);
    const [sw, vs] = smtp.received;
    expect(sw!.subject).toBe('Rollbook: 3 new attendance concerns');
    expect(sw!.text).toContain('- 2 new spells of absence\n- 1 child whose attendance fell below 90 %');
    expect(sw!.text).toContain('Sign in to see who and what: https://rollbook.la.example/caseload');
    expect(vs!.subject).toBe('Rollbook: 1 new attendance concern');
    expect(vs!.text).toContain('- 1 suspension or exclusion');
    expect(vs!.text).toContain('https://rollbook.la.example/virtual-school');
  });

  it('reports a refused message and carries on', async () => {
    const config = loadConfig({ SMTP_URL: `smtp://rollbook:wrong@127.0.0.1:${smtp.port}`, SMTP_FROM: 'rollbook@la.example', SMTP_PORTAL_URL: 'http://127.0.0.1:3000' });
    const mailer = new AlertMailer(config.mail);
    try {
      const result = await mailer.send([{ to: 'sw@la.example', page: 'caseload', counts: { below_50: 1 } }]);
      expect(result.sent).toBe(0);
      expect(result.failed[0]!.to).toBe('sw@la.example');
      expect(result.failed[0]!.error).toMatch(/Invalid username or password/);
    } finally {
      mailer.close();
    }
  });

  it('is off without SMTP configured', async () => {
    const mailer = new AlertMailer(loadConfig({}).mail);
    expect(mailer.enabled).toBe(false);
    expect(await mailer.send([{ to: 'sw@la.example', page: 'caseload', counts: { below_50: 1 } }])).toEqual({ sent: 0, failed: [] });
  });

  it('words every kind of concern, singular and plural', () => {
    const { text } = digestText({ to: 'x@la.example', page: 'caseload', counts: { penalty_threshold: 1, below_50: 3 } }, 'http://p.example');
    expect(text).toContain('- 1 child who reached the penalty-notice threshold\n- 3 children whose attendance fell below 50 %');
  });
});
