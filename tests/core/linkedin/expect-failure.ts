import { expect } from 'vitest'
import { SmilecamError } from '../../../src/shared/errors'

/** Awaits a call that must fail with a typed error and returns that error for further checks. */
export async function failure(promise: Promise<unknown>): Promise<SmilecamError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(SmilecamError)
    return error as SmilecamError
  }
  throw new Error('expected the call to fail')
}
