/** A problem with the environment, the config file or a runbook: start stops with this message. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
