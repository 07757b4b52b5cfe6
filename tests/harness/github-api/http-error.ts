// GitHub's error bodies: a message, the documentation link and the status as a string, and for
// 422 the list of field errors. A handler throws; the server turns the throw into the answer.

const DOCS = 'https://docs.github.com/rest'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>
  ) {
    super(String(body.message))
  }
}

export function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new HttpError(status, {
    message,
    ...extra,
    documentation_url: DOCS,
    status: String(status)
  })
}

export function validationFailed(errors: Array<Record<string, unknown>>): never {
  fail(422, 'Validation Failed', { errors })
}
