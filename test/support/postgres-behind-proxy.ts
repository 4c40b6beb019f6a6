import { createTestDatabase } from './databases.js';
import { TcpProxy } from './tcp-proxy.js';
import { startTestBot, type TestBot, type TestBotOptions } from './test-bot.js';

export interface BotBehindProxy {
  bot: TestBot;
  /** Between the bot and Postgres: `down()` takes the database away from the bot, `up()` brings it back. */
  postgres: TcpProxy;
  /** Brings Postgres back, stops the bot and drops its database. */
  stop(): Promise<void>;
}

/** A whole bot on its own database, reached through a proxy the test can cut. */
export async function startBotBehindPostgresProxy(options: TestBotOptions = {}): Promise<BotBehindProxy> {
  const database = await createTestDatabase();
  const postgres = await new TcpProxy('127.0.0.1', Number(new URL(database.url).port || 5432)).start();
  const bot = await startTestBot({ ...options, env: { ...options.env, DATABASE_URL: postgres.urlFor(database.url) } });
  return {
    bot,
    postgres,
    async stop() {
      await postgres.up();
      await bot.stop();
      await postgres.down();
      await database.drop();
    },
  };
}
