import { TestWorkflowEnvironment } from '@temporalio/testing';
import { readPreparedPaths } from '../../infra/prepared-paths';

/** A time-skipping environment on the Java test server that `infra/test-prepare.ts` provisioned. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { testServer } = readPreparedPaths();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServer } },
  });
}
