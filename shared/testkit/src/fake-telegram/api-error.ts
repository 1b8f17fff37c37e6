/** A Bot API failure, answered as `{ ok: false, error_code, description, parameters? }`. */
export class ApiError extends Error {
  readonly code: number;
  readonly parameters: Record<string, unknown> | undefined;

  constructor(code: number, description: string, parameters?: Record<string, unknown>) {
    super(description);
    this.code = code;
    this.parameters = parameters;
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      ok: false,
      error_code: this.code,
      description: this.message,
    };
    if (this.parameters) body.parameters = this.parameters;
    return body;
  }
}

export function badRequest(what: string): ApiError {
  return new ApiError(400, `Bad Request: ${what}`);
}

export const CONFLICT_OTHER_POLL = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
