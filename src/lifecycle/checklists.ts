// The runbooks' checklists (shared/runbooks: the maintenance checklist and the procedures), which a
// manual maintenance's result issue carries: the phases every maintenance goes through, and what its
// category adds.
import type { Category } from '../model/types.ts';

export interface ChecklistSection {
  title: string;
  items: string[];
}

const COMMON: ChecklistSection[] = [
  {
    title: 'Pre-maintenance (T-24 hours)',
    items: [
      'Reminder sent to the team',
      'Runbook reviewed; tools and access verified',
      'System currently healthy; no active incidents',
      'Backups current (< 24 hours) and verified',
      'Rollback package ready and rollback procedure tested in staging',
      'On-call and emergency contacts confirmed',
    ],
  },
  {
    title: 'Execution',
    items: [
      'Final health check passed; go/no-go decision made',
      '"Maintenance starting" posted; maintenance mode enabled if applicable',
      'Each step done and verified, deviations noted in this issue',
      'Status updates posted every 30 minutes while it runs',
    ],
  },
  {
    title: 'Verification (T+15 min)',
    items: [
      'Health endpoints responding; no errors in startup logs',
      'Smoke tests and critical user flows pass',
      'Error rate and response times normal; no alerts firing',
    ],
  },
  {
    title: 'Completion (T+30 min)',
    items: [
      'Maintenance mode disabled; temporary changes reverted',
      '"Maintenance complete" posted; status page updated',
      'Actual start, end and duration recorded',
      'Issues encountered and lessons learned noted here',
    ],
  },
];

const BY_CATEGORY: Record<Category, ChecklistSection | undefined> = {
  'system-update': {
    title: 'System update',
    items: ['OS packages updated', 'Application packages updated', 'Services restarted', 'Versions verified'],
  },
  'security-patch': {
    title: 'Security patch',
    items: [
      'Security advisories and CVE numbers reviewed',
      'Patches applied',
      'Vulnerability scan passed',
      'Patch documented',
    ],
  },
  'certificate-renewal': {
    title: 'Certificate renewal',
    items: [
      'Current certificate backed up',
      'New certificate installed',
      'Service reloaded',
      'HTTPS verified',
      'New expiry date recorded',
    ],
  },
  'database-migration': {
    title: 'Database migration',
    items: [
      'Database backed up',
      'Schema changes applied',
      'Data migrated',
      'Integrity verified',
      'Performance tested',
    ],
  },
  performance: {
    title: 'Performance optimisation',
    items: [
      'Baseline metrics captured',
      'Optimisation applied',
      'Improvement measured',
      'No functional regression',
    ],
  },
  infrastructure: {
    title: 'Infrastructure',
    items: [
      'Nodes drained before changes',
      'Changes applied node by node',
      'Nodes back in service and healthy',
    ],
  },
  other: undefined,
};

const EMERGENCY: ChecklistSection = {
  title: 'Emergency',
  items: [
    'Reason and risk assessment documented',
    'Immediate backup created',
    'Team notified',
    'Post-mortem scheduled within 24 hours',
  ],
};

export function checklistFor(category: Category, emergency: boolean): ChecklistSection[] {
  const specific = BY_CATEGORY[category];
  return [
    ...(emergency ? [EMERGENCY] : []),
    ...COMMON.slice(0, 2),
    ...(specific ? [specific] : []),
    ...COMMON.slice(2),
  ];
}
