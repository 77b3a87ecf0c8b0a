// The subscribe section: for each ICS feed an https link, a webcal:// link and a Google Calendar
// "add by URL" link, each checked to stay under the length calendar clients accept.
import { markup, type Markup } from './html.ts';

export interface Feed {
  label: string;
  /** Relative to the site root, e.g. `env/production.ics`. */
  path: string;
}

export interface FeedLinks {
  /** Absolute when the site's URL is known, else relative to the page. */
  https: string;
  webcal?: string;
  google?: string;
}

/** Links longer than this are refused: some calendar clients and Google's add-by-URL cut them. */
export const MAX_LINK_LENGTH = 255;

/** Google's add-by-URL entry point (undocumented but stable; it opens the "Add calendar" prompt). */
export const GOOGLE_ADD_BY_URL = 'https://calendar.google.com/calendar/r?cid=';

function assertLength(kind: string, feed: Feed, url: string): string {
  if (url.length > MAX_LINK_LENGTH) {
    throw new RangeError(
      `the ${kind} link of feed "${feed.label}" is ${url.length} characters, over the ${MAX_LINK_LENGTH} that calendar clients accept: ${url}; shorten the site URL or the feed path`,
    );
  }
  return url;
}

/** The site root as an https URL ending in `/`; throws on anything else. */
export function siteRoot(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(`baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'https:')
    throw new RangeError(`baseUrl ${baseUrl} must be https: calendar apps refuse to subscribe otherwise`);
  if (url.search || url.hash) throw new RangeError(`baseUrl ${baseUrl} must not carry a query or fragment`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export function feedLinks(feed: Feed, baseUrl: string | undefined): FeedLinks {
  if (/^[a-z][a-z0-9+.-]*:|^\/|(^|\/)\.\.(\/|$)/i.test(feed.path))
    throw new RangeError(`feed path ${JSON.stringify(feed.path)} must be relative to the site root`);
  if (baseUrl === undefined) return { https: assertLength('https', feed, encodeURI(feed.path)) };
  const root = siteRoot(baseUrl);
  const https = new URL(encodeURI(feed.path), root).href;
  const webcal = `webcal://${https.slice('https://'.length)}`;
  return {
    https: assertLength('https', feed, https),
    webcal: assertLength('webcal', feed, webcal),
    google: assertLength('Google Calendar', feed, GOOGLE_ADD_BY_URL + encodeURIComponent(webcal)),
  };
}

function feedItem(feed: Feed, links: FeedLinks): Markup {
  return markup`<li class="feed">
<h3 class="feed-name">${feed.label}</h3>
<p class="feed-url"><code>${links.https}</code></p>
<ul class="feed-links">
<li><a href="${links.https}">Open the feed (https)</a></li>
${links.webcal !== undefined && markup`<li><a href="${links.webcal}">Subscribe (webcal://)</a></li>`}
${links.google !== undefined && markup`<li><a href="${links.google}">Add to Google Calendar</a></li>`}
</ul>
</li>`;
}

const WITHOUT_BASE_URL = markup`<p class="note">This page was built without the site's published address, so only
relative feed links are shown. <code>webcal://</code> and Google Calendar links need the published https URL:
open a feed link below, copy its address from the address bar, and add it in your calendar app ("Subscribe from
web" in Outlook, "Other calendars &gt; From URL" in Google Calendar).</p>`;

export function renderSubscribe(feeds: readonly Feed[], baseUrl?: string): Markup {
  const items = feeds.map((feed) => feedItem(feed, feedLinks(feed, baseUrl)));
  return markup`<section class="panel" id="subscribe" aria-labelledby="subscribe-heading">
<h2 id="subscribe-heading">Subscribe to the calendar</h2>
<p>Subscribe once and your calendar follows every change: each event carries the impact, rollback plan,
contacts and links, and cancellations remove it. <strong>Subscribe (webcal://)</strong> opens Apple Calendar or
Outlook for desktop; <strong>Add to Google Calendar</strong> opens Google's prompt; in Outlook on the web choose
Add calendar, Subscribe from web, and paste the https address.</p>
<p class="note" id="refresh-note"><strong>How fast calendars update:</strong> Google Calendar refreshes subscribed
calendars every 8 to 24 hours, whatever the feed asks for; Outlook about every 3 hours. For the latest
schedule, this page is always current.</p>
${baseUrl === undefined && WITHOUT_BASE_URL}
${feeds.length === 0 ? markup`<p>No feeds are published.</p>` : markup`<ul class="feeds">${items}</ul>`}
<p>For dashboards and portals, the same schedule as data: <a href="schedule.json">schedule.json</a>
(every occurrence and change freeze, described in the project's README).</p>
</section>`;
}
