/**
 * A target that cannot be measured on this machine or in this state of the code (nginx not installed,
 * a Tollgate service not built yet or failing to start). The bench reports it as an "unavailable: <reason>"
 * row and goes on with the other targets instead of failing the whole run.
 */
export class TargetUnavailable extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'TargetUnavailable';
  }
}
