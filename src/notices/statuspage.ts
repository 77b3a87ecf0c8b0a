// Atlassian Statuspage payloads for a maintenance: the scheduled-maintenance incident that the
// announcement (or an emergency) creates, and the incident update each later notice makes
// (POST /v1/pages/{page_id}/incidents and PATCH .../incidents/{incident_id}). Pure.
import { isoUtc } from '../schedule/time.ts';
import type { NoticeKind } from './kinds.ts';
import { truncateLine } from './text-limits.ts';

/** Statuspage's statuses for scheduled maintenance. */
export type StatuspageStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';
/** Incident names are limited to 255 characters. */
export const STATUSPAGE_NAME_MAX = 255;

export interface StatuspageCreate {
  incident: {
    name: string;
    status: StatuspageStatus;
    scheduled_for: string;
    scheduled_until: string;
    scheduled_remind_prior: boolean;
    scheduled_auto_in_progress: boolean;
    scheduled_auto_completed: boolean;
    impact_override: 'maintenance';
    body: string;
    component_ids: string[];
  };
}

export interface StatuspageUpdate {
  incident: {
    status: StatuspageStatus;
    body: string;
    scheduled_until?: string;
    /** Component id -> status, when the request names components. */
    components?: Record<string, 'under_maintenance' | 'operational'>;
    deliver_notifications: boolean;
  };
}

/** The status each later notice moves the incident to. */
const UPDATE_STATUS: Record<Exclude<NoticeKind, 'announcement' | 'emergency'>, StatuspageStatus> = {
  reminder: 'scheduled',
  start: 'in_progress',
  progress: 'in_progress',
  delay: 'in_progress',
  extension: 'in_progress',
  // Statuspage has no "cancelled" maintenance: it is closed as completed, the body says why.
  cancellation: 'completed',
  completion: 'completed',
  'completion-with-issues': 'verifying',
  rollback: 'completed',
  missed: 'completed',
};

export interface StatuspageInput {
  kind: NoticeKind;
  name: string;
  body: string;
  start: number;
  end: number;
  /** delay, extension: the new expected end. */
  newEnd?: number;
  componentIds: readonly string[];
  now: number;
}

export function statuspagePayload(input: StatuspageInput): StatuspageCreate | StatuspageUpdate {
  const { kind, body, componentIds } = input;
  if (kind === 'announcement' || kind === 'emergency') {
    const started = kind === 'emergency' && input.now >= input.start;
    return {
      incident: {
        name: truncateLine(input.name || 'Scheduled maintenance', STATUSPAGE_NAME_MAX),
        status: started ? 'in_progress' : 'scheduled',
        scheduled_for: isoUtc(input.start),
        scheduled_until: isoUtc(input.end),
        // An emergency is announced too late for a reminder to mean anything.
        scheduled_remind_prior: kind === 'announcement',
        scheduled_auto_in_progress: true,
        scheduled_auto_completed: true,
        impact_override: 'maintenance',
        body,
        component_ids: [...componentIds],
      },
    };
  }
  const status = UPDATE_STATUS[kind];
  const componentStatus =
    kind === 'start' ? 'under_maintenance' : status === 'completed' ? 'operational' : undefined;
  return {
    incident: {
      status,
      body,
      ...((kind === 'delay' || kind === 'extension') && input.newEnd !== undefined
        ? { scheduled_until: isoUtc(input.newEnd) }
        : {}),
      ...(componentStatus && componentIds.length > 0
        ? { components: Object.fromEntries(componentIds.map((id) => [id, componentStatus])) }
        : {}),
      deliver_notifications: true,
    },
  };
}
