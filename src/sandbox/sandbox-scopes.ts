/**
 * The scopes the sandbox's token carries, sent in X-OAuth-Scopes as Slack does: the bot scopes
 * manifest.yml asks for (a test keeps the two equal), so the sandbox grants what an installed app has.
 */
export const SANDBOX_SCOPES: readonly string[] = [
  'channels:manage',
  'chat:write',
  'files:write',
  'users:read',
  'commands',
  'usergroups:read',
  'usergroups:write',
  'reactions:read',
  'channels:history',
  'channels:read',
];
