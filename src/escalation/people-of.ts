import type { WebClient } from '@slack/web-api';

/** The people behind a notify list: user IDs as they are, user groups expanded to their members. */
export async function peopleOf(slack: WebClient, ids: readonly string[]): Promise<string[]> {
  const people = new Set(ids.filter((id) => !id.startsWith('S')));
  for (const group of ids.filter((id) => id.startsWith('S'))) {
    const members = await slack.usergroups.users.list({ usergroup: group });
    for (const user of members.users ?? []) people.add(user);
  }
  return [...people];
}
