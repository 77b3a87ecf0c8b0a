// What kind of work a request carries: none (a manual maintenance, done by people), or checks and steps
// that an execute run performs, some of which may dispatch other workflows.
import type { MaintenanceRequest } from '../model/types.ts';

/** No steps: people do the work and record the outcome. */
export function isManual(request: Pick<MaintenanceRequest, 'steps'>): boolean {
  return (request.steps ?? []).length === 0;
}

/** Whether any step (or rollback step) dispatches a workflow: its run needs `actions: write`. */
export function usesWorkflows(request: Pick<MaintenanceRequest, 'steps' | 'rollback_steps'>): boolean {
  return [...(request.steps ?? []), ...(request.rollback_steps ?? [])].some((s) => s.workflow !== undefined);
}

/** The name the execute workflow's run carries (its `run-name`): how a lost dispatch is found. */
export function executeRunName(key: string): string {
  return `maintenance ${key}`;
}

/** The workflow that runs a maintenance's work (written by `maint init`). */
export const EXECUTE_WORKFLOW = 'maintenance-execute.yml';
