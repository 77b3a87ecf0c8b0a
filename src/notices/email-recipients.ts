// Who receives an e-mail notice: the policy's `notices.email` recipients of every notice, the entries
// whose environments, impacts and kinds all match the notice, and the request's own `notify.email`.
// Each address once (compared without case), `to` before `cc`. Pure.
import type { EmailPolicy, MaintenanceRequest } from '../model/types.ts';
import type { NoticeKind } from './kinds.ts';

export interface EmailRecipients {
  to: string[];
  cc: string[];
}

export function emailRecipients(
  email: EmailPolicy,
  request: Pick<MaintenanceRequest, 'environment' | 'impact' | 'notify'>,
  kind: NoticeKind,
): EmailRecipients {
  const matching = email.recipients.filter(
    (entry) =>
      (!entry.environments || entry.environments.includes(request.environment)) &&
      (!entry.impacts || entry.impacts.includes(request.impact)) &&
      (!entry.kinds || entry.kinds.includes(kind)),
  );
  const seen = new Set<string>();
  const once = (addresses: readonly string[]) =>
    addresses.filter((address) => {
      const key = address.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const to = once([...email.to, ...matching.flatMap((e) => e.to), ...(request.notify?.email ?? [])]);
  const cc = once([...email.cc, ...matching.flatMap((e) => e.cc)]);
  return { to, cc };
}
