// The default policy of DESIGN.md section 3, drawn from the runbooks this project was founded on.
// `maint init` writes this text out; validation uses it when a repository has no policy file.

export const DEFAULT_POLICY_PATH = '.github/maintenance-policy.yaml';
/** Where request files live, relative to the repository root. */
export const DEFAULT_REQUESTS_DIR = 'maintenance';

export const DEFAULT_POLICY_YAML = `# The maintenance policy: where and when work may happen, and who signs it off.
# maint always reads this file from the base branch of a pull request, never from the PR itself.
version: 1
timezone: UTC # the zone in which blackout days and business days are counted
horizon: P365D # recurring requests are checked this far ahead
business_days: [mon, tue, wed, thu, fri]

environments:
  production:
    # Runbooks: "Primary: Sundays 2:00-6:00 AM UTC; Secondary: Wednesdays 2:00-4:00 AM UTC".
    windows:
      - { name: Sunday primary, days: [sun], start: '02:00', end: '06:00', timezone: UTC }
      - { name: Wednesday secondary, days: [wed], start: '02:00', end: '04:00', timezone: UTC }
    max_concurrent: 2
  staging:
    # Runbooks: "Daily: 10:00-11:00 PM UTC; Extended: Fridays 6:00-10:00 PM UTC".
    windows:
      - { name: Daily, days: [mon, tue, wed, thu, fri, sat, sun], start: '22:00', end: '23:00', timezone: UTC }
      - { name: Friday extended, days: [fri], start: '18:00', end: '22:00', timezone: UTC }
    max_concurrent: 4
  development:
    anytime: true # "Continuous maintenance allowed"

blackouts:
  - name: Year-end freeze
    reason: Holiday season; reduced staffing and peak traffic (December 20 - January 5)
    yearly: { from: '12-20', to: '01-05' }
    environments: [production, staging]
  - name: Month-end close
    reason: 'High-traffic period: the last 3 business days of each month'
    last_business_days: { count: 3, of: month }
    environments: [production]
  - name: Quarter-end close
    reason: 'High-traffic period: the last 5 business days of each quarter'
    last_business_days: { count: 5, of: quarter }
    environments: [production]
  # Dated freezes, e.g. a product launch:
  # - name: Spring launch
  #   reason: Product launch; no changes to production
  #   from: '2027-04-12'
  #   to: '2027-04-16'
  #   environments: [production]

# holidays:
#   ics: holidays.ics # relative to this file; each holiday is a blackout day
#   environments: [production]

notice: # minimum time between approval and start
  low: P1D
  medium: P7D
  high: P14D
  emergency: PT2H
  emergency_with_incident: PT0S # an emergency that names its incident may start at once

max_duration:
  low: PT1H
  medium: PT3H
  high: PT6H
  emergency: PT4H

avoid_hours:
  name: Peak business hours
  windows:
    - { days: [mon, tue, wed, thu, fri], start: '08:00', end: '20:00', timezone: UTC }
  severity: warning
  environments: { development: off } # per environment: error, warning or off

conflicts:
  same_service: error # two requests on the same environment and service may not overlap
  same_environment: warning # overlapping work on other services of the same environment

emergency:
  may_bypass: [window, notice, blackout]
  require_justification: true

approvals: # counted from pull request reviews; the author never counts
  low: { code_owners: 1 }
  medium: { code_owners: 1, teams: [{ team: org/eng-managers, count: 1 }] }
  high: { code_owners: 2, teams: [{ team: org/cto-office, count: 1 }] }
  emergency: { code_owners: 1, teams: [{ team: org/incident-commanders, count: 1 }] }

reminders: # notices before the start, besides the announcement, start and completion notices
  high: [P14D, P7D, P1D, PT1H]
  medium: [P7D, P1D]
  low: [P1D]
  emergency: []

alerts:
  lead: PT30M # silence monitoring for the request's services from 30 minutes before the start
  # alertmanager: { url: 'https://alertmanager.example.com' }

calendar:
  name: Planned maintenance
  description: Planned maintenance windows and change freezes
  keep_after_end: P90D
  refresh: PT1H
  alarm: PT1H

notices:
  extra_zones: []
  # webhook_secrets: [OPS_SLACK_WEBHOOK] # notify.*_webhook_secret may name these besides MAINT_* secrets
  # email: { from: maintenance@example.com, to: [engineering@example.com] } # sent through MAINT_SMTP_URL

review: # a review report is posted when a maintenance ends; a review is due (label, reminders) for these
  required_for: [failed, rolled-back, missed, emergency, high-impact]

# http: checks reach only public addresses; list the internal hosts, addresses or ranges they may reach
# checks: { allow_hosts: [health.internal.example, '*.svc.cluster.local', 10.20.0.0/16] }
`;
