/**
 * `npm run eval -- landmarks|teeth|smile|emotion|all`: accuracy on ../shared/data.
 * Prints figures; skips with a message when the data folder is absent.
 */
import { fileURLToPath } from 'node:url'
import { evalLandmarks, printLandmarkReports } from './eval-landmarks'

const MODEL_DIR = fileURLToPath(new URL('../resources/models', import.meta.url))
const TASKS = ['landmarks', 'teeth', 'smile', 'emotion', 'photo-checks'] as const
type Task = (typeof TASKS)[number]

async function run(task: Task): Promise<void> {
  switch (task) {
    case 'landmarks': {
      const reports = await evalLandmarks(MODEL_DIR)
      if (reports) printLandmarkReports(reports)
      return
    }
    case 'photo-checks': {
      const { runPhotoChecksEval } = await import('./eval-photo-checks')
      await runPhotoChecksEval(MODEL_DIR)
      return
    }
    case 'teeth':
    case 'smile':
    case 'emotion': {
      const { runAuditEval } = await import('./eval-audit')
      await runAuditEval(task, MODEL_DIR)
      return
    }
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2)
  const tasks: Task[] = requested.length === 0 || requested.includes('all') ? [...TASKS] : []
  for (const name of requested) {
    if (name === 'all') continue
    if (!(TASKS as readonly string[]).includes(name)) {
      console.error(`eval: unknown task "${name}"; choose from ${TASKS.join(', ')} or all`)
      process.exit(2)
    }
    tasks.push(name as Task)
  }
  for (const task of tasks) await run(task)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
