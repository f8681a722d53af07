/**
 * A spec that cannot run: the message names the field and the problem, like
 * `retention spec: start_event "sign_up" does not occur in the data (did you mean "signup"?)`.
 */
export class SpecError extends Error {
  readonly field?: string;
  constructor(kind: string, problem: string, field?: string) {
    super(`${kind} spec: ${problem}`);
    this.name = 'SpecError';
    this.field = field;
  }
}
