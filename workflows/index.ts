export { campaignWorkflow } from './campaign';
export { reconcileStatusesWorkflow } from './reconcile';
export { surveyWorkflow } from './survey';
