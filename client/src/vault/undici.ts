// The part of undici the extension uses: its two dispatchers and `dispatcher.request`. Imported
// from undici's own files rather than its index, which loads everything undici has (fetch,
// WebSocket, mocks, caches, interceptors; 0.5 MB of the bundle) while the extension activates,
// before the vault's listing can be asked for. The index does the same assignment below.

import type { Agent as AgentClass, Dispatcher as DispatcherClass, EnvHttpProxyAgent as EnvHttpProxyAgentClass } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import request from 'undici/lib/api/api-request.js';

(DispatcherImpl.prototype as { request: unknown }).request = request;

export const Agent: typeof AgentClass = AgentImpl;
export const EnvHttpProxyAgent: typeof EnvHttpProxyAgentClass = EnvHttpProxyAgentImpl;
export type Agent = AgentClass;
export type EnvHttpProxyAgent = EnvHttpProxyAgentClass;
export type Dispatcher = DispatcherClass;
