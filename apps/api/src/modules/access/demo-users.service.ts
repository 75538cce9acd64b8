import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
import { readSql } from '../../common/sql.js';
import { WarehouseService } from '../../warehouse/warehouse.service.js';
import { hashPassword } from './password.js';
import { Role } from './roles.js';
import { utcToday } from './scope.factory.js';
import { UsersRepository } from './users.repository.js';

/** The demo generator's LA (Dudley), for demo users on a warehouse with no data yet. */
const DEFAULT_DEMO_LA = '332';

/** The password of every demo user (README "Signing in and roles"). Demo data only. */
export const DEMO_PASSWORD = 'rollbook-demo';

/** One demo user per role; the email's local part names the role. */
export const DEMO_USERS: ReadonlyArray<{ email: string; displayName: string; role: Role }> = [
  { email: 'admin@demo-la.example', displayName: 'Alex Admin', role: Role.LA_ADMIN },
  { email: 'officer@demo-la.example', displayName: 'Olu Officer', role: Role.LA_OFFICER },
  { email: 'school@demo-la.example', displayName: 'Sam School', role: Role.SCHOOL_USER },
  { email: 'social-worker@demo-la.example', displayName: 'Sasha Social Worker', role: Role.SOCIAL_WORKER },
  { email: 'team-manager@demo-la.example', displayName: 'Taylor Team Manager', role: Role.TEAM_MANAGER },
  { email: 'virtual-school@demo-la.example', displayName: 'Vic Virtual School', role: Role.VIRTUAL_SCHOOL },
  { email: 'analyst@demo-la.example', displayName: 'Ash Analyst', role: Role.ANALYST },
];

/**
 * Seeded besides {@link DEMO_USERS} when the data folder holds demos of two LAs or more
 * (`rollbook demo --la N --out data/demo-N`, then loaded): their regional partnership.
 */
export const DEMO_REGIONAL_USER = { email: 'regional@demo-la.example', displayName: 'Rae Regional', role: Role.REGIONAL } as const;

const sql = {
  la: readSql('modules', 'access', 'sql', 'demo-la.sql'),
  loadedLas: readSql('modules', 'access', 'sql', 'demo-loaded-las.sql'),
  worker: readSql('modules', 'access', 'sql', 'demo-worker.sql'),
  workerCsv: readSql('modules', 'access', 'sql', 'demo-worker-csv.sql'),
};

/**
 * Seeds the demo users on start when there are no users yet and either a demo LA is in the data
 * folder (`ROLLBOOK_DEMO_USERS=auto`, the default) or `ROLLBOOK_DEMO_USERS=on`. The school user
 * gets the LA's largest school; the social worker is the demo worker holding most children
 * today, and the team manager manages that worker's team.
 */
@Injectable()
export class DemoUsersService implements OnApplicationBootstrap {
  private static readonly logger = new Logger('DemoUsers');

  constructor(
    private readonly users: UsersRepository,
    private readonly warehouse: WarehouseService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const mode = this.config.auth.demoUsers;
    const demoDir = path.join(this.config.dataDir, 'demo');
    if (mode === 'off' || (mode === 'auto' && !existsSync(path.join(demoDir, 'manifest.json')))) return;
    if ((await this.users.count()) > 0) {
      if (await this.addRegional()) DemoUsersService.logger.log(`Added the demo regional user ${DEMO_REGIONAL_USER.email}`);
      return;
    }
    const seeded = await this.seed(demoDir);
    if (seeded > 0) DemoUsersService.logger.log(`Seeded ${seeded} demo users (README: "Signing in and roles")`);
  }

  /** Creates the demo users; returns how many (0 when no data is loaded yet to attach them to). */
  async seed(demoDir: string): Promise<number> {
    const [place] = await this.warehouse.query(sql.la);
    if (!place && this.config.auth.demoUsers !== 'on') {
      DemoUsersService.logger.warn('No attendance data loaded: demo users not seeded');
      return 0;
    }
    // Asked for explicitly on an empty warehouse: the LA-wide users only, for the demo's LA.
    const laCode = place ? String(place.la_code) : DEFAULT_DEMO_LA;
    const today = utcToday();
    let [worker] = await this.warehouse.query(sql.worker, { la_code: laCode, today });
    const csv = path.join(demoDir, 'social-care', 'caseloads.csv');
    if (!worker && existsSync(csv)) [worker] = await this.warehouse.query(sql.workerCsv, { path: csv, today });
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    let count = 0;
    for (const demo of DEMO_USERS) {
      if ((demo.role === Role.SOCIAL_WORKER || demo.role === Role.TEAM_MANAGER) && !worker) continue;
      if (demo.role === Role.SCHOOL_USER && !place) continue;
      await this.users.create(
        {
          ...demo,
          laCode,
          urn: demo.role === Role.SCHOOL_USER ? Number(place!.urn) : null,
          workerId: demo.role === Role.SOCIAL_WORKER ? String(worker!.worker_id) : null,
          team: demo.role === Role.TEAM_MANAGER ? String(worker!.team) : null,
          disabled: false,
        },
        { passwordHash },
      );
      count += 1;
    }
    if (place && (await this.seedRegional(laCode, passwordHash))) count += 1;
    return count;
  }

  /**
   * A demo LA loaded after the demo users were seeded: adds the regional user to them, over the
   * demo administrator's LA and the other demo LAs. True when it was added.
   */
  async addRegional(): Promise<boolean> {
    const admin = await this.users.byEmail(DEMO_USERS[0]!.email);
    if (!admin || (await this.users.byEmail(DEMO_REGIONAL_USER.email))) return false;
    return this.seedRegional(admin.laCode, await hashPassword(DEMO_PASSWORD));
  }

  private async seedRegional(laCode: string, passwordHash: string): Promise<boolean> {
    const partnership = await this.demoLas(laCode);
    if (partnership.length < 2) return false;
    await this.users.create(
      { ...DEMO_REGIONAL_USER, laCode, laCodes: partnership, urn: null, workerId: null, team: null, disabled: false },
      { passwordHash },
    );
    return true;
  }

  /**
   * The LAs of the demos in the data folder (each `demo*` folder's manifest) whose returns are
   * loaded, with the main demo's LA. Out-of-area schools' LAs are not demo LAs.
   */
  private async demoLas(mainLa: string): Promise<string[]> {
    const loaded = new Set((await this.warehouse.query(sql.loadedLas)).map((row) => String(row.la_code)));
    const codes = new Set<string>([mainLa]);
    for (const entry of readdirSync(this.config.dataDir, { withFileTypes: true })) {
      const manifest = path.join(this.config.dataDir, entry.name, 'manifest.json');
      if (!entry.isDirectory() || !entry.name.startsWith('demo') || !existsSync(manifest)) continue;
      try {
        const code = String((JSON.parse(readFileSync(manifest, 'utf8')) as { summary?: { laCode?: unknown } }).summary?.laCode ?? '');
        if (loaded.has(code)) codes.add(code);
      } catch {
        DemoUsersService.logger.warn(`${entry.name}/manifest.json is not readable: not a demo LA`);
      }
    }
    return [...codes].sort();
  }
}
