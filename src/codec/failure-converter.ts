import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (the SDK's `failureConverterPath`) when payload encryption is on: failure messages
 * and stack traces then travel as a payload, which the codec encrypts like any other.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
