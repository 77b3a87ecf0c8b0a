// A year of 15-minute ticks over 200 requests, as GitHub's scheduler delivers them (late up to an
// hour, dropped, doubled), with the execute runs they dispatch played beside them (delayed, held past
// their window, cancelled, timed out) and 5% of API requests failing (502 before or after the work,
// hangs, secondary rate limits) with no retries to hide them. At the end: every maintenance reached
// one final state in one issue, every notice was posted exactly once (or its reminder deliberately
// skipped), no step ran twice, no occurrence had two execute runs, unapproved work never ran, and the
// states read back through the API are the ones recorded.
import { describe, expect, it } from 'vitest';
import { simulate } from './simulation.ts';

describe('a simulated year of the run mode', () => {
  it('converges: one final state each, notices exactly once, no step twice, states rebuilt from the issues', async () => {
    const result = await simulate({ requests: 200, days: 365, seed: 11, faultRate: 0.05 });
    console.log(
      [
        `simulated year: ${result.ticks} ticks from ${result.triggers} scheduled triggers (${result.dropped} dropped, ${result.delayed} late by 5-60 min, ${result.duplicated} doubled) and ${result.afterRuns} execute runs ending`,
        `execute runs: ${JSON.stringify(result.runs)}; ${result.unapproved} occurrences of unapproved content`,
        `API: ${result.apiRequests} requests (${(result.apiRequests / result.ticks).toFixed(2)} a tick), ${result.faults} failed on purpose; ${result.tickProblems} ticks hit a failure and left the rest to the next`,
        `outcomes: ${JSON.stringify(result.finalStates)} in ${result.issues} result issues; ${result.noticesSent} notices posted once each, ${result.remindersSkipped} reminders skipped; ${result.stepsRun} steps run once each`,
        `reviews: ${result.reviews.due} due, ${result.reviews.completed} completed by a code owner, ${result.reviews.reminders} reminders sent once each`,
        `wall time ${(result.wallMs / 1000).toFixed(0)} s`,
      ].join('\n'),
    );
    expect(result.failures).toEqual([]);
    expect(result.issues).toBe(result.occurrencesWithIssue); // one issue per occurrence
    expect(result.faults).toBeGreaterThan(result.apiRequests * 0.03); // the faults really happened
    expect(result.dropped + result.delayed + result.duplicated).toBeGreaterThan(1000);
    // Every way GitHub can run (or not run) an execute run happened.
    expect(result.runs.ran).toBeGreaterThan(result.runs.dispatched / 2); // most dispatched work ran
    for (const fate of ['delayed', 'cancelled', 'timedOut', 'heldPastWindow'] as const)
      expect(result.runs[fate], fate).toBeGreaterThan(0);
    expect(result.unapproved).toBeGreaterThan(0);
    // Reviews were due, some completed, and reminders went out (each checked in result.failures).
    expect(result.reviews.due).toBeGreaterThan(10);
    expect(result.reviews.completed).toBeGreaterThan(0);
    expect(result.reviews.reminders).toBeGreaterThan(0);
    const final = ['completed', 'failed', 'rolled-back', 'missed', 'cancelled'].reduce(
      (n, s) => n + (result.finalStates[s] ?? 0),
      0,
    );
    expect(final).toBeGreaterThanOrEqual(result.issues - 3); // the last few may still be ahead at the year's end
  }, 1_800_000);
});
