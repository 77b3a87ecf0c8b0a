// Requests that post a notice rendered elsewhere (src/notices) to Slack, Teams or Statuspage. Pure:
// the body is taken as given; only the route and the non-secret headers are added here.
import { JSON_HEADERS, jsonBody, type OutboundRequest } from './request.ts';
import { DEFAULT_SLACK_SECRET } from './slack.ts';
import { DEFAULT_TEAMS_SECRET } from './teams.ts';

function chatPost(
  service: 'slack' | 'teams',
  label: string,
  body: unknown,
  secretName: string,
): OutboundRequest {
  return {
    service,
    operation: 'post',
    method: 'POST',
    path: '',
    headers: { 'Content-Type': 'application/json' },
    body: jsonBody(body),
    target: secretName,
    summary: `${label} message (${secretName})`,
  };
}

/** A Slack incoming-webhook message; `secretName` is the request's notify.slack_webhook_secret. */
export function slackPost(body: unknown, secretName = DEFAULT_SLACK_SECRET): OutboundRequest {
  return chatPost('slack', 'Slack', body, secretName);
}

/** A Teams Workflows webhook post (an Adaptive Card message); `secretName` as for Slack. */
export function teamsPost(body: unknown, secretName = DEFAULT_TEAMS_SECRET): OutboundRequest {
  return chatPost('teams', 'Teams', body, secretName);
}

/** POST /v1/pages/{page_id}/incidents with `{incident: {...}}`; the answer's id is the incident id. */
export function statuspageCreateIncident(pageId: string, body: unknown): OutboundRequest {
  return {
    service: 'statuspage',
    operation: 'create',
    method: 'POST',
    path: `/v1/pages/${encodeURIComponent(pageId)}/incidents`,
    headers: { ...JSON_HEADERS },
    body: jsonBody(body),
    summary: `Statuspage incident on page ${pageId}`,
  };
}

/** PATCH /v1/pages/{page_id}/incidents/{incident_id}: a new status or message. */
export function statuspageUpdateIncident(pageId: string, incidentId: string, body: unknown): OutboundRequest {
  return {
    service: 'statuspage',
    operation: 'update',
    method: 'PATCH',
    path: `/v1/pages/${encodeURIComponent(pageId)}/incidents/${encodeURIComponent(incidentId)}`,
    headers: { ...JSON_HEADERS },
    body: jsonBody(body),
    summary: `Statuspage incident ${incidentId} on page ${pageId}`,
  };
}
