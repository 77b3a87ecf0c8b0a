// Atlassian Statuspage adapter: `Authorization: OAuth <key>` on api.statuspage.io. Reads the
// incident id from a create (201) or an update (200). Statuspage signals its rate limit with 420
// as well as 429.
import { joinUrl, missing, prepared, readAnswer, type ServiceAdapter } from './adapter.ts';

export const STATUSPAGE_API = 'https://api.statuspage.io';

export interface StatuspageCredentials {
  apiKey: string;
}

export function statuspageAdapter(config: {
  url?: string;
  credentials?: StatuspageCredentials;
}): ServiceAdapter {
  return {
    prepare(request) {
      const apiKey = config.credentials?.apiKey;
      if (!apiKey) throw missing(request, 'no Statuspage API key (STATUSPAGE_API_KEY)');
      return prepared(
        request,
        joinUrl(config.url ?? STATUSPAGE_API, request.path),
        { Authorization: `OAuth ${apiKey}` },
        [apiKey],
        { rateLimitStatuses: [420, 429] },
      );
    },
    read: (request, response) => readAnswer(request, response, ['id']),
  };
}
