// Errors a user can cause: a value with a one-line message (what, where, what to do), never a stack trace.

/** An error whose message is shown to the person as one line. `code` lets callers branch without parsing text. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'user_error',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** One line for any error: the message of a UserError, or "internal error: …" for a bug. */
export function oneLine(error: unknown): string {
  if (isUserError(error)) return error.message.replace(/\s*\n\s*/g, ' ');
  if (error instanceof Error) return `internal error: ${error.message.split('\n')[0]}`;
  return `internal error: ${String(error)}`;
}
