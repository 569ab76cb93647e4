import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type Survey, surveySchema } from '../../../domain/survey-schema';
import { TASK_QUEUES } from '../../../domain/task-queues';

const bi = (en: string, km: string) => ({ en, km });

/**
 * The three-question monitoring survey the survey workflow tests and the recorded histories run:
 * a choice that skips to q3 on "no", a bounded number, free text; each question times out after a
 * day. `repeat` makes it a repeating survey. The recorded histories depend on these questions.
 */
export function monitoringSurvey(repeat?: Survey['repeat']): Survey {
  return surveySchema.parse({
    questions: [
      {
        key: 'q1',
        type: 'choice',
        prompt: bi('Were defenders released?', 'តើអ្នកការពារសិទ្ធិត្រូវបានដោះលែងទេ?'),
        choices: [
          { key: 'yes', label: bi('Yes', 'បាទ/ចាស') },
          { key: 'no', label: bi('No', 'ទេ') },
        ],
        next: [{ if: { choice: 'no' }, goto: 'q3' }],
        timeout: 'P1D',
      },
      { key: 'q2', type: 'number', min: 0, max: 1000, prompt: bi('How many?', 'ប៉ុន្មាននាក់?'), timeout: 'P1D' },
      { key: 'q3', type: 'text', prompt: bi('What did you see?', 'តើអ្នកបានឃើញអ្វី?'), timeout: 'P1D' },
    ],
    ...(repeat ? { repeat } : {}),
  });
}

/**
 * Runs `body` with a worker on the survey task queue serving `activities` (the fake survey's), then
 * shuts that worker down and waits for it, whatever `body` did.
 */
export async function withSurveyWorker<T>(
  env: TestWorkflowEnvironment,
  activities: object,
  body: () => Promise<T>,
): Promise<T> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: TASK_QUEUES.survey,
    activities,
  });
  const running = worker.run();
  try {
    return await body();
  } finally {
    worker.shutdown();
    await running;
  }
}
