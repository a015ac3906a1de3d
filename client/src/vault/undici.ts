// The part of undici the extension uses: its two dispatchers, `dispatcher.request` and, for the
// proxy's tunnel, `dispatcher.connect`. Imported from undici's own files rather than its index,
// which loads everything undici has (fetch, WebSocket, mocks, caches, interceptors; 0.5 MB of the
// bundle) while the extension activates, before the vault's listing can be asked for. The index
// makes the same assignments below.

import type { Agent as AgentClass, Dispatcher as DispatcherClass, EnvHttpProxyAgent as EnvHttpProxyAgentClass } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import request from 'undici/lib/api/api-request.js';
import connect from 'undici/lib/api/api-connect.js';

// `request` for our calls; `connect` for the proxy agent, which opens its CONNECT tunnel with it
// (without it an https:// vault through HTTPS_PROXY fails: "this[kClient].connect is not a function").
const api = DispatcherImpl.prototype as { request: unknown; connect: unknown };
api.request = request;
api.connect = connect;

export const Agent: typeof AgentClass = AgentImpl;
export const EnvHttpProxyAgent: typeof EnvHttpProxyAgentClass = EnvHttpProxyAgentImpl;
export type Agent = AgentClass;
export type EnvHttpProxyAgent = EnvHttpProxyAgentClass;
export type Dispatcher = DispatcherClass;
