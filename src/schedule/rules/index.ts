// The registered rules, in the order their findings are reported. Adding a rule: one file, one line.
import { avoidHoursRule } from './avoid-hours.ts';
import { blackoutRule } from './blackout.ts';
import { concurrencyRule } from './concurrency.ts';
import { conflictRule } from './conflict.ts';
import { durationRule } from './duration.ts';
import { emergencyRule } from './emergency.ts';
import { noticeRule } from './notice.ts';
import { notifyRule } from './notify.ts';
import type { Rule } from './rule.ts';
import { runnerTimeRule } from './runner-time.ts';
import { windowRule } from './window.ts';

export const RULES: readonly Rule[] = [
  windowRule,
  blackoutRule,
  noticeRule,
  durationRule,
  avoidHoursRule,
  conflictRule,
  concurrencyRule,
  emergencyRule,
  notifyRule,
  runnerTimeRule,
];

export type { Rule, RuleContext } from './rule.ts';
