import { createTransport, type Transporter } from 'nodemailer';
import type { MailConfig } from '../../config/config.js';

/** What one digest says: counts of new concerns by kind, for one person's page. Never names or UPNs. */
export interface AlertDigest {
  to: string;
  /** Whose page the concerns are on: a social worker's caseload or the virtual school. */
  page: 'caseload' | 'virtual-school';
  /** New concerns by kind (`absence_spell`, `suspension`, …); only kinds with at least one. */
  counts: Readonly<Record<string, number>>;
}

const KIND_WORDS: Record<string, [string, string]> = {
  absence_spell: ['new spell of absence', 'new spells of absence'],
  suspension: ['suspension or exclusion', 'suspensions or exclusions'],
  below_90: ['child whose attendance fell below 90 %', 'children whose attendance fell below 90 %'],
  below_50: ['child whose attendance fell below 50 %', 'children whose attendance fell below 50 %'],
  penalty_threshold: ['child who reached the penalty-notice threshold', 'children who reached the penalty-notice threshold'],
};

const PAGE_WORDS: Record<AlertDigest['page'], { where: string; path: string }> = {
  caseload: { where: 'the children on your caseload', path: '/caseload' },
  'virtual-school': { where: "the virtual school's looked-after children", path: '/virtual-school' },
};

/** The subject and plain text of a digest: counts and a link to the portal only. */
export function digestText(digest: AlertDigest, portalUrl: string): { subject: string; text: string } {
  const total = Object.values(digest.counts).reduce((n, c) => n + c, 0);
  const page = PAGE_WORDS[digest.page];
  const concerns = total === 1 ? '1 new attendance concern' : `${total} new attendance concerns`;
  const lines = Object.entries(digest.counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => {
      const [one, many] = KIND_WORDS[kind] ?? [kind.replaceAll('_', ' '), kind.replaceAll('_', ' ')];
      return `- ${n} ${n === 1 ? one : many}`;
    });
  return {
    subject: `Rollbook: ${concerns}`,
    text: [
      `Rollbook found ${concerns} about ${page.where} in the data loaded since its last message:`,
      '',
      ...lines,
      '',
      `Sign in to see who and what: ${portalUrl}${page.path}`,
      '',
      'This email holds no names or details of children on purpose: they are in Rollbook only.',
    ].join('\n'),
  };
}

/** Sends alert digests through the configured SMTP server; does nothing when email is off. */
export class AlertMailer {
  private readonly transport: Transporter | null;

  constructor(private readonly config: MailConfig | undefined) {
    if (!config) {
      this.transport = null;
      return;
    }
    const t = config.transport;
    // Pooled: the digests of one computation share a connection.
    this.transport =
      'url' in t
        ? createTransport({ url: t.url, pool: true })
        : createTransport({ pool: true, host: t.host, port: t.port, secure: t.secure, auth: t.user ? { user: t.user, pass: t.password ?? '' } : undefined });
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** Sends each digest; returns how many were accepted. A failure stops nothing: it is reported back. */
  async send(digests: readonly AlertDigest[]): Promise<{ sent: number; failed: { to: string; error: string }[] }> {
    const failed: { to: string; error: string }[] = [];
    let sent = 0;
    if (!this.transport || !this.config) return { sent, failed };
    for (const digest of digests) {
      const { subject, text } = digestText(digest, this.config.portalUrl);
      try {
        await this.transport.sendMail({ from: this.config.from, to: digest.to, subject, text });
        sent += 1;
      } catch (error) {
        failed.push({ to: digest.to, error: (error as Error).message });
      }
    }
    return { sent, failed };
  }

  close(): void {
    this.transport?.close();
  }
}
