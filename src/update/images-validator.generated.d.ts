// Types for the validator scripts/bundle.mjs generates from images-schema.ts.
import type { ValidateFunction } from 'ajv'

export declare const validate: ValidateFunction
export default validate
