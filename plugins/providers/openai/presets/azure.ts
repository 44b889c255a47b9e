import { defineOpenAICompatible } from './define.ts';

/**
 * learn.microsoft.com/azure/ai-services/openai/reference: `POST {endpoint}/openai/deployments/{deployment}/
 * chat/completions?api-version=…` with the key in an `api-key` header; each deployment is offered as a model.
 */
export const azureOpenAIProvider = defineOpenAICompatible({
  id: 'azure-openai',
  displayName: 'Azure OpenAI',
  description: 'OpenAI models deployed in your Azure OpenAI resource, addressed by deployment name.',
  baseUrl: 'https://my-resource.openai.azure.com',
  auth: 'azure',
  keyHelp: 'Azure portal → your resource → Keys and Endpoint',
  models: [],
  defaultModel: 'gpt-4o-mini',
  vision: true,
  apiVersion: '2024-10-21',
});
