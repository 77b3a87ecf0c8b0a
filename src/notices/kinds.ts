// The notices maint sends, and the channels it renders them for. Shared by the notice renderer,
// the lifecycle (which decides when each is due) and the CLI.

export const NOTICE_KINDS = [
  'announcement',
  'reminder',
  'start',
  'progress',
  'delay',
  'extension',
  'cancellation',
  'completion',
  'completion-with-issues',
  'rollback',
  'emergency',
  'missed',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const CHANNELS = ['markdown', 'slack', 'teams', 'email', 'statuspage'] as const;
export type Channel = (typeof CHANNELS)[number];
