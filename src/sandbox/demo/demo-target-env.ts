/**
 * The environment the config file is read with in sandbox mode: the shipped config's target
 * variables (see incident-bot.yml) point at the demo application, and at the bot's own Postgres
 * and Redis for the database and cache targets. A variable the operator set still wins.
 */
export function demoTargetEnv(demoUrl: string, bot: { DATABASE_URL: string; REDIS_URL: string }, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const defaults: NodeJS.ProcessEnv = {
    APP_API_URL: demoUrl,
    APP_OPS_URL: demoUrl,
    PROMETHEUS_URL: demoUrl,
    APP_DATABASE_URL: bot.DATABASE_URL,
    APP_REDIS_URL: bot.REDIS_URL,
    APP_QUEUE_REDIS_URL: bot.REDIS_URL,
  };
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  return { ...defaults, ...set };
}
