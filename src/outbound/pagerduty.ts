// PagerDuty adapter: `Authorization: Token token=<key>` and the `From` user every write needs.
// Reads maintenance_window.id from a create (201); ending answers 204, or 405 once it has ended.
import { joinUrl, missing, prepared, readAnswer, type ServiceAdapter } from './adapter.ts';
import { PAGERDUTY_API } from '../alerts/pagerduty.ts';

export interface PagerDutyCredentials {
  /** A REST API key (account or user). */
  token: string;
  /** E-mail of a valid PagerDuty user of the account, sent as `From`. */
  from: string;
}

export function pagerdutyAdapter(config: {
  url?: string;
  credentials?: PagerDutyCredentials;
}): ServiceAdapter {
  return {
    prepare(request) {
      const credentials = config.credentials;
      if (!credentials?.token) throw missing(request, 'no PagerDuty API key (PAGERDUTY_TOKEN)');
      if (!credentials.from)
        throw missing(request, 'no PagerDuty user e-mail for the From header (PAGERDUTY_FROM)');
      const headers = { Authorization: `Token token=${credentials.token}`, From: credentials.from };
      return prepared(request, joinUrl(config.url ?? PAGERDUTY_API, request.path), headers, [
        credentials.token,
      ]);
    },
    read: (request, response) => readAnswer(request, response, ['maintenance_window', 'id'], [404, 405]),
  };
}
