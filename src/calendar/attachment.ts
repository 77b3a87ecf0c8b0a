// A request's calendar event as a file to attach to an e-mail (METHOD:PUBLISH, like the feeds): the
// very event the feeds carry (feeds.ts requestEvent), so its UID and SEQUENCE are the feed's and a
// calendar that imported the attachment takes the feed's later changes as updates of it. Pure.
import type { MaintenanceRequest } from '../model/types.ts';
import { feedHeader, requestEvent, type EventInput } from './feeds.ts';
import { renderCalendar } from './render.ts';

export const EVENT_ATTACHMENT_TYPE = 'text/calendar; charset=utf-8; method=PUBLISH';

/** `<id>.ics`: the request id is kebab-case, so it names a file as it is. */
export function eventAttachmentName(request: Pick<MaintenanceRequest, 'id'>): string {
  return `${request.id}.ics`;
}

export function eventCalendar(request: MaintenanceRequest, input: EventInput): string {
  return renderCalendar(feedHeader(input.policy), [requestEvent(request, input)]);
}
