export { campaignWorkflow } from './campaign';
export { surveyWorkflow } from './survey';
