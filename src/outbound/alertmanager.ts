// Alertmanager adapter: the policy's URL, optional Bearer or Basic credentials (Alertmanager is
// usually behind a proxy that asks for one). Reads {silenceID} from a create; an expiry of an
// unknown silence (404; a 500 "silence not found" before Alertmanager 0.26) has nothing left to end.
import { joinUrl, missing, prepared, readAnswer, type ServiceAdapter } from './adapter.ts';

export interface AlertmanagerCredentials {
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** `user:password`, sent as `Authorization: Basic <base64>`. */
  basicAuth?: string;
}

const notFound = (status: number, text: string) => status === 500 && /silence not found/i.test(text);

export function alertmanagerAdapter(config: {
  url?: string;
  credentials?: AlertmanagerCredentials;
}): ServiceAdapter {
  const { bearerToken, basicAuth } = config.credentials ?? {};
  const basic = basicAuth ? Buffer.from(basicAuth).toString('base64') : undefined;
  const authorization = bearerToken ? `Bearer ${bearerToken}` : basic ? `Basic ${basic}` : undefined;
  return {
    prepare(request) {
      if (!config.url) throw missing(request, 'no Alertmanager URL (alerts.alertmanager.url in the policy)');
      const auth: Record<string, string> = authorization ? { Authorization: authorization } : {};
      return prepared(request, joinUrl(config.url, request.path), auth, [bearerToken, basicAuth, basic], {
        settles: (status, text) => request.operation === 'end' && notFound(status, text),
      });
    },
    read(request, response) {
      if (request.operation === 'end' && notFound(response.status, response.text)) {
        return { ok: true, alreadyEnded: true };
      }
      return readAnswer(request, response, ['silenceID'], [404]);
    },
  };
}
