import { CreateUsers1764000000000 } from './1764000000000-create-users.js';
import { Access1764100000000 } from './1764100000000-access.js';
import { Submissions1764300000000 } from './1764300000000-submissions.js';
import { SocialCare1764800000000 } from './1764800000000-social-care.js';
import { Tsm1764900000000 } from './1764900000000-tsm.js';
import { SocialCareAlerts1764950000000 } from './1764950000000-social-care-alerts.js';
import { TsmPackSnapshots1765000000000 } from './1765000000000-tsm-pack-snapshots.js';
import { RegionalUsers1765200000000 } from './1765200000000-regional-users.js';
import { NationalLookedAfterFigures1765300000000 } from './1765300000000-national-looked-after-figures.js';
import { TsmPackFigures1765400000000 } from './1765400000000-tsm-pack-figures.js';
import { SessionChanges1765500000000 } from './1765500000000-session-changes.js';

/** Every migration, oldest first; listed explicitly so the build needs no glob. */
export const migrations = [CreateUsers1764000000000, Access1764100000000, Submissions1764300000000, SocialCare1764800000000, Tsm1764900000000, SocialCareAlerts1764950000000, TsmPackSnapshots1765000000000, RegionalUsers1765200000000, NationalLookedAfterFigures1765300000000, TsmPackFigures1765400000000, SessionChanges1765500000000];
