import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';

/**
 * Logs a warning for each connection whose certificate will not be verified. Called at every start,
 * so an operator who turned verification off for a test sees it in the logs as long as it stays off.
 */
export function warnAboutUnverifiedTls(config: Config, log: Logger): void {
  if (!config.directory.tls.verifyCertificate) {
    log.warn({ url: config.directory.url }, 'directory server certificate is not verified');
  }
  if (!config.servicenow.verifyCertificate) {
    log.warn({ url: config.servicenow.instanceUrl }, 'servicenow server certificate is not verified');
  }
}
