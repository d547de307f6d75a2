/** Domain errors: handlers map them to HTTP status codes; the core knows nothing of HTTP. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  /** For a refusal of a change to a case: the case's version when it was refused, so a client can reload and retry. */
  currentVersion?: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  constructor(public readonly issues: FieldIssue[], message = 'Some fields are missing or invalid') {
    super(message);
  }
}

export class NotFoundError extends DomainError {}

export class IllegalTransitionError extends DomainError {
  constructor(public readonly from: string, public readonly to: string) {
    super(`A case cannot move from ${from} to ${to}`);
  }
}

/** The Idempotency-Key was used before for a different request body. */
export class IdempotencyKeyReuseError extends DomainError {
  constructor() {
    super('This Idempotency-Key was already used with a different request');
  }
}

/** The caller's role does not allow this action on this case (e.g. an agent acting on a supervisor's escalation). */
export class ForbiddenError extends DomainError {}

/** The case's state does not allow the action (e.g. replying on a closed case); the message says why. */
export class CaseStateError extends DomainError {}

/** Another writer changed the case since it was read (or since the version the client named): reload and retry. */
export class ConcurrentUpdateError extends DomainError {
  constructor(message = 'The case changed meanwhile; reload it and try again', currentVersion?: number) {
    super(message);
    if (currentVersion !== undefined) this.currentVersion = currentVersion;
  }
}

/** The generated case reference exists already (a random collision): generate another. */
export class ReferenceTakenError extends DomainError {}

/** This inbound message (same Message-ID, or same content without one) was ingested before. */
export class DuplicateInboundError extends DomainError {}

/** The recipient had as many acknowledgements this hour as the limit allows (M3.1, the relay limit). */
export class AckRateLimitedError extends DomainError {}

/** A client sent more anonymous submissions this hour than the limit allows: try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(public readonly retryAfterSeconds: number) {
    super('Too many submissions from your network in the last hour; please try again later');
  }
}

/** A complaint cannot be resolved before its resolution checklist is complete (M3.2, M9.2): `missing` names the items. */
export class IncompleteChecklistError extends CaseStateError {
  constructor(public readonly missing: readonly string[], message: string) {
    super(message);
  }
}
