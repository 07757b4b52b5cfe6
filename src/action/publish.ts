// Everything the action says where people read it (log lines, annotations, outputs, the step's
// failure, the job summary) goes out through here, redacted first: the runner masks only what
// it was told to, and an echoed credential the run never saw whole would slip past it.
import * as core from '@actions/core'
import { redact } from './secrets.js'

function redactedProperties(
  properties: core.AnnotationProperties | undefined
): core.AnnotationProperties | undefined {
  if (!properties) return undefined
  const { title, file } = properties
  return {
    ...properties,
    ...(title !== undefined ? { title: redact(title) } : {}),
    ...(file !== undefined ? { file: redact(file) } : {})
  }
}

export const debug = (message: string): void => core.debug(redact(message))
export const info = (message: string): void => core.info(redact(message))

export function notice(message: string, properties?: core.AnnotationProperties): void {
  core.notice(redact(message), redactedProperties(properties))
}

export function warning(message: string, properties?: core.AnnotationProperties): void {
  core.warning(redact(message), redactedProperties(properties))
}

export function error(message: string, properties?: core.AnnotationProperties): void {
  core.error(redact(message), redactedProperties(properties))
}

export const setOutput = (name: string, value: string): void => core.setOutput(name, redact(value))
export const setFailed = (message: string): void => core.setFailed(redact(message))

/** Replaces the job summary with `markdown`. */
export async function writeJobSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(redact(markdown), true).write()
}
