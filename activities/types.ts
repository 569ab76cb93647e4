import type { createSmsDeliveryActivities } from './delivery-sms';
import type { createOrchestratorActivities } from './orchestrator';
import type { createSurveyActivities } from './survey';

// Workflows import these types only; the implementations live in the workers.
export type OrchestratorActivities = ReturnType<typeof createOrchestratorActivities>;
export type DeliveryActivities = ReturnType<typeof createSmsDeliveryActivities>;
export type SurveyActivities = ReturnType<typeof createSurveyActivities>;
