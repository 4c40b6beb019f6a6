/**
 * users.* and usergroups.* — directory lookups.
 */
import { z } from 'zod';
import { fail, flag, ok, parseArgs, reqString } from '../args.js';
import { userJson, type MethodTable } from './context.js';

export const userMethods: MethodTable = {
  'users.info': (ctx) => {
    const parsed = parseArgs(z.object({ user: reqString }), ctx.args);
    if (!parsed.success) return parsed.result;
    const user = parsed.data.user ? ctx.state.getUser(parsed.data.user) : undefined;
    if (!user) return fail('user_not_found');
    return ok({ user: userJson(user, ctx.bot.teamId) });
  },

  'users.lookupByEmail': (ctx) => {
    const parsed = parseArgs(z.object({ email: reqString }), ctx.args);
    if (!parsed.success) return parsed.result;
    const user = ctx.state.userByEmail(parsed.data.email);
    if (!user) return fail('users_not_found');
    return ok({ user: userJson(user, ctx.bot.teamId) });
  },

  'usergroups.users.list': (ctx) => {
    const parsed = parseArgs(z.object({ usergroup: reqString, include_disabled: flag }), ctx.args);
    if (!parsed.success) return parsed.result;
    const group = ctx.state.usergroups.get(parsed.data.usergroup);
    if (!group) return fail('no_such_subteam');
    return ok({ users: [...group.users] });
  },
};
