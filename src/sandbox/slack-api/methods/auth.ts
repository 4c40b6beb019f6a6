import { ok } from '../args.js';
import type { MethodTable } from './context.js';

export const authMethods: MethodTable = {
  /** "This method checks authentication and tells you who you are." */
  'auth.test': ({ bot }) =>
    ok({
      url: bot.teamUrl,
      team: bot.teamName,
      user: bot.userName,
      team_id: bot.teamId,
      user_id: bot.userId,
      bot_id: bot.botId,
      is_enterprise_install: false,
    }),
};
