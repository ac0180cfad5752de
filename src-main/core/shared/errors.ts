import type { ApiErrorShape } from '../../contract';

/** An error meant for the desk: its message is shown as is. */
export class ApiError extends Error implements ApiErrorShape {
  constructor(
    public readonly code: string,
    message: string,
    public readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toShape(): ApiErrorShape {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export function toErrorShape(err: unknown): ApiErrorShape {
  if (err instanceof ApiError) return err.toShape();
  // Unknown errors may carry personal data in their text: show a generic message, keep the class.
  const name = err instanceof Error ? err.name : 'Error';
  return { code: 'internal', message: `Something went wrong inside Pawline (${name}). The action was not completed; try again, and if it persists check the log.` };
}
