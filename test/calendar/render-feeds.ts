// Prints the fixture and example feeds as JSON {"<set>/<path>": ics}: run as a child process under
// different TZ values by golden.test.ts, so the bytes cannot depend on the process's time zone.
import { exampleFeeds, fixtureFeeds } from './fixture-feeds.ts';

const out: Record<string, string> = {};
for (const [set, feeds] of [
  ['fixtures', fixtureFeeds()],
  ['examples', exampleFeeds()],
] as const) {
  for (const [path, text] of feeds) out[`${set}/${path}`] = text;
}
process.stdout.write(JSON.stringify(out));
