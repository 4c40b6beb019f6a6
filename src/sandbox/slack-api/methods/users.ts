/**
 * users.* and usergroups.* — directory lookups.
 */
import { z } from 'zod';
import { fail, flag, idList, ok, parseArgs, reqString } from '../args.js';
import { usergroupJson, userJson, type MethodTable } from './context.js';

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

  // Replaces every member of the group. Slack refuses an empty list (usergroups.disable empties a
  // group), malformed ids (invalid_users), bots (invalid_user) and people it does not know
  // (failed_for_some_users), and answers with the group.
  'usergroups.users.update': (ctx) => {
    const parsed = parseArgs(z.object({ usergroup: reqString, users: idList, include_count: flag }), ctx.args);
    if (!parsed.success) return parsed.result;
    const group = ctx.state.usergroups.get(parsed.data.usergroup);
    if (!group) return fail('no_such_subteam');
    const users = [...new Set(parsed.data.users)];
    if (users.length === 0) return fail('no_users_provided');
    if (users.some((id) => !/^[UW][A-Z0-9]+$/.test(id))) return fail('invalid_users');
    const people = users.map((id) => ctx.state.getUser(id));
    if (people.some((user) => user?.isBot)) return fail('invalid_user');
    if (people.some((user) => user === undefined || user.deleted)) return fail('failed_for_some_users');
    group.users = users;
    return ok({ usergroup: usergroupJson(group, ctx.bot.teamId) });
  },
};
