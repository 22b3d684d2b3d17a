// A case that sends a fixed script of model deliveries and checks every segment it touched against
// the membership model: for rules no single segment can show (other segments, other accounts).
import type { Exchange } from '../delivery/webhookDelivery.ts';
import type { CaseContext, ConformanceCase } from './caseTypes.ts';
import { AccountRefused, ModelChecker, ModelMismatch } from './modelChecker.ts';
import type { ModelDelivery } from './modelDeliveries.ts';

/** Batches sent one after another (the deliveries of a batch one by one); checked after each. */
export type Script = ModelDelivery[][];

export function checkedScriptProbe(
  script: (context: CaseContext) => Script,
): NonNullable<ConformanceCase['probe']> {
  return async (context, send, inspection) => {
    const exchanges: { label: string; exchange: Exchange }[] = [];
    const checker = new ModelChecker({
      send,
      inspection,
      exchanges,
      optionalAccount: context.secondIdToken,
    });
    try {
      for (const batch of script(context)) {
        await checker.send(batch, false);
        await checker.verify();
      }
    } catch (error) {
      if (error instanceof AccountRefused) {
        return {
          verdict: 'skip',
          message: `${error.message}: give a second connected account with --second-id-token`,
          exchanges,
        };
      }
      if (error instanceof ModelMismatch) {
        return {
          verdict: 'fail',
          message: `${error.message}\nsteps:\n${error.steps.join('\n')}`,
          exchanges,
        };
      }
      throw error;
    }
    return {
      verdict: 'pass',
      message:
        `${exchanges.length} deliveries acknowledged` +
        (inspection ? '; members verified' : '; members not verified (no --inspect-url)'),
      exchanges,
    };
  };
}
