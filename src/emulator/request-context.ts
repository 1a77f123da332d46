import type { FaultKind } from './types.js';

/** What the emulator learnt about one request while answering it, for the request log. */
export interface RequestContext {
  user?: string;
  fault?: FaultKind;
}

const contexts = new WeakMap<object, RequestContext>();

/** The context of a request, created on first use. */
export function requestContext(request: object): RequestContext {
  let context = contexts.get(request);
  if (context === undefined) {
    context = {};
    contexts.set(request, context);
  }
  return context;
}
