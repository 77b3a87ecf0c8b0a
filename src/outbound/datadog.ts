// Datadog adapter: DD-API-KEY and DD-APPLICATION-KEY on the site's API host. Reads data.id from a
// create (200); a cancel answers 204, or 404 when the downtime is gone.
import { joinUrl, missing, prepared, readAnswer, type ServiceAdapter } from './adapter.ts';

export interface DatadogCredentials {
  apiKey: string;
  applicationKey: string;
}

export function datadogAdapter(config: { url: string; credentials?: DatadogCredentials }): ServiceAdapter {
  return {
    prepare(request) {
      const credentials = config.credentials;
      if (!credentials?.apiKey || !credentials.applicationKey) {
        throw missing(request, 'no Datadog API and application keys (DATADOG_API_KEY, DATADOG_APP_KEY)');
      }
      const headers = { 'DD-API-KEY': credentials.apiKey, 'DD-APPLICATION-KEY': credentials.applicationKey };
      return prepared(request, joinUrl(config.url, request.path), headers, [
        credentials.apiKey,
        credentials.applicationKey,
      ]);
    },
    read: (request, response) => readAnswer(request, response, ['data', 'id'], [404]),
  };
}
