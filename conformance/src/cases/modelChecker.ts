// Sends sequences of model deliveries and checks every segment they touched against the membership
// model through the inspection API: the engine of the `model` group and of the cases that look
// beyond their own segment.
import {
  expectedMembership,
  membershipProblem,
  type MembershipDelivery,
  type OutgoingDelivery,
} from '../../../spec/src/index.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';
import type { InspectionClient } from '../runner/inspectionClient.ts';
import { judgeAnswer } from '../runner/judge.ts';
import type { ModelDelivery } from './modelDeliveries.ts';

/** Why a checked sequence stopped: a delivery not acknowledged, or members the model forbids. */
export class ModelMismatch extends Error {
  constructor(
    message: string,
    /** The deliveries sent so far, in order, as a reader follows them. */
    readonly steps: readonly string[],
  ) {
    super(message);
  }
}

/** A delivery for an account the partner does not know was refused: the sequence cannot go on. */
export class AccountRefused extends Error {}

export interface ModelCheckerOptions {
  send(delivery: OutgoingDelivery): Promise<Exchange>;
  /** Null: answers are judged, members are not read. */
  inspection: InspectionClient | null;
  /**
   * An account the partner may refuse (the second account): a 4xx for it throws AccountRefused.
   */
  optionalAccount?: string;
  /** Every exchange, for the leak check of the verdict. */
  exchanges: { label: string; exchange: Exchange }[];
}

export class ModelChecker {
  readonly #options: ModelCheckerOptions;
  readonly #sent: MembershipDelivery[] = [];
  readonly #steps: string[] = [];

  constructor(options: ModelCheckerOptions) {
    this.#options = options;
  }

  /** The steps so far, numbered. */
  get steps(): readonly string[] {
    return this.#steps;
  }

  /**
   * Sends the deliveries together (one after another when `together` is false); each must be
   * acknowledged with a 2xx. They enter the model in the order given.
   */
  async send(deliveries: readonly ModelDelivery[], together = true): Promise<void> {
    const prefix = deliveries.length > 1 && together ? 'at once: ' : '';
    for (const delivery of deliveries) {
      this.#steps.push(`${this.#steps.length + 1}. ${prefix}${delivery.label}`);
    }
    const sendOne = async (delivery: ModelDelivery) => {
      const exchange = await this.#options.send(delivery.build());
      this.#options.exchanges.push({ label: delivery.label, exchange });
      return { delivery, exchange };
    };
    const answers = together
      ? await Promise.all(deliveries.map(sendOne))
      : await deliveries.reduce<Promise<{ delivery: ModelDelivery; exchange: Exchange }[]>>(
          async (done, delivery) => [...(await done), await sendOne(delivery)],
          Promise.resolve([]),
        );
    for (const { delivery, exchange } of answers) {
      if (
        delivery.change.idToken === this.#options.optionalAccount &&
        exchange.ok &&
        exchange.status >= 400 &&
        exchange.status < 500
      ) {
        throw new AccountRefused(
          `the partner answered ${exchange.status} to a delivery for the second account`,
        );
      }
      const verdict = judgeAnswer(exchange, { must: 'accepted' });
      if (verdict.verdict === 'fail') {
        throw new ModelMismatch(`${delivery.label}: ${verdict.message}`, this.#steps);
      }
    }
    this.#sent.push(...deliveries.map((delivery) => delivery.change));
  }

  /** Reads every segment the deliveries named and compares it with the model. */
  async verify(): Promise<void> {
    const inspection = this.#options.inspection;
    if (!inspection) return;
    for (const expectation of expectedMembership(this.#sent).segments) {
      let members: string[];
      try {
        members = await inspection.members(expectation.idToken, expectation.segmentId);
      } catch (error) {
        throw new ModelMismatch(`could not read members: ${(error as Error).message}`, this.#steps);
      }
      const problem = membershipProblem(expectation, members);
      if (problem)
        throw new ModelMismatch(`after step ${this.#steps.length}: ${problem}`, this.#steps);
    }
  }
}
