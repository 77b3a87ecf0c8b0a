// rrule ships CommonJS for Node; its named exports live on the default export under ESM.
import rrulePackage from 'rrule';
import type * as RRuleModule from 'rrule';

export const { RRule } = rrulePackage as unknown as typeof RRuleModule;
export type RRuleInstance = InstanceType<typeof RRule>;
