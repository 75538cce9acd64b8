import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Contact } from './models/social-care.model.js';

/** The LA's service directory: `<data dir>/contacts.json`, or the demo's made-up one. */
export interface ContactDirectory {
  services: Contact[];
  /** A school's attendance contact, by URN. */
  schools: Record<string, Contact>;
}

const contact = (service: string, email: string | null, when: string, phone: string | null = null): Contact => ({ service, name: null, email, phone, when });

/** The services the guidance for social workers names (seed 004), with made-up demo addresses. */
export const DEMO_DIRECTORY: ContactDirectory = {
  services: [
    contact('Education Support Service', 'education-support@demo-la.example', 'Children not attending school regularly'),
    contact('Children Missing Education Team', 'children-missing-education@demo-la.example', 'Children not on roll at a school, or who have moved out of the area'),
    contact('Elective Home Education Service', 'elective-home-education@demo-la.example', 'Children educated at home'),
    contact('Gypsy Roma Traveller Service', 'grt-service@demo-la.example', 'Gypsy, Roma and Traveller children'),
    contact('Child Employment', 'child-employment@demo-la.example', 'Children working or performing during school time'),
  ],
  schools: {},
};

/**
 * Reads the directory once. A file that is there but wrong is an error at start, not a silent
 * fallback: `{ "services": [{ "service", "email"?, "phone"?, "when"? }], "schools": { "<urn>": { … } } }`.
 */
export function loadContactDirectory(dataDir: string): ContactDirectory {
  const file = path.join(dataDir, 'contacts.json');
  if (!existsSync(file)) return DEMO_DIRECTORY;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { services?: unknown; schools?: unknown };
  const one = (value: unknown, where: string): Contact => {
    const v = value as Record<string, unknown>;
    if (typeof v?.service !== 'string') throw new Error(`${file}: ${where} needs a "service" name`);
    const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : null);
    return { service: v.service, name: s('name'), email: s('email'), phone: s('phone'), when: s('when') };
  };
  const services = Array.isArray(raw.services) ? raw.services.map((c, i) => one(c, `services[${i}]`)) : [];
  const schools: Record<string, Contact> = {};
  for (const [urn, c] of Object.entries((raw.schools ?? {}) as Record<string, unknown>)) schools[urn] = one(c, `schools.${urn}`);
  return { services, schools };
}
