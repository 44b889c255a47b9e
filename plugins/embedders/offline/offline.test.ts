import { runEmbedderContract } from '../../sdk/contracts/embedder.contract.ts';
import { offlineEmbedder } from './index.ts';

runEmbedderContract(offlineEmbedder, {
  label: 'offline-embedder',
  context: ({ signal, clock }) => ({
    settings: {},
    fetch: () => Promise.reject(new Error('the offline embedder makes no HTTP requests')),
    clock,
    signal,
  }),
  deterministic: true,
  abortable: false,
});
