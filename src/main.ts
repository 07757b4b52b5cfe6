import * as core from '@actions/core'

/** The action's entry point; the GitHub Action issue fills this in. */
export async function run(): Promise<void> {
  core.setFailed('the action is not implemented yet')
}
