import { escapeMrkdwn } from '../render/mrkdwn.js';

/** What `/incident help` answers: only the subcommands this version runs; its <placeholders> are escaped for mrkdwn. */
export function helpText(unknown?: string): string {
  const lines = [
    unknown ? `I don't know \`/incident ${unknown}\`. Here is what I can do:` : '*Incident bot*: incidents open by themselves when Alertmanager fires.',
    '• `/incident declare <title> [--severity s]`: open an incident by hand, with its channel',
    '• `/incident status`: in an incident channel, that incident; elsewhere, all open incidents',
    '• `/incident ack`: acknowledge this channel\'s incident (stops escalation)',
    '• `/incident escalate [L2|L3] [reason]`: page the next level now, or the level named',
    '• `/incident resolve [summary]`: resolve this channel\'s incident',
    '• `/incident severity <s>`: change the severity',
    '• `/incident note <text>`: add a note to the timeline (or mark a message with :pushpin:)',
    '• `/incident timeline`: the latest timeline events',
    '• `/incident runbook [id]`: post the runbook and its action buttons again; with an id, switch to that runbook',
    '• `/incident review`: the post-incident review: its draft, owner, due time and state',
    '• `/incident review done`: mark the review complete (its owner or the responders); `review owner <@someone>` hands it over',
    '• `/incident followup <@owner> <due> <text>`: add an action item to the review (due `2026-12-01`, `tomorrow`, `3d`, `2w`)',
    '• `/incident update [INC-n] [text]`: a stakeholder update (without text, a form: status, impact, next update)',
    '• `/incident statuspage publish|hide [INC-n]`: put an incident on the public status page (a form: public title, message, components) or take it off',
    '• `/incident subscribe [INC-n]` / `unsubscribe [INC-n]`: get an incident\'s updates and resolution by direct message',
    '• `/incident role <role> <@someone|me>`, `/incident roles`: incident roles (commander, comms, scribe) and their duties',
    '• `/incident oncall [schedule]`: who is on call now, or a schedule\'s next seven days; `oncall override <schedule> <@user> <4h | from <ISO> to <ISO>>`, `oncall overrides <schedule>`, `oncall cancel <id>`',
    '• `/incident help`: this list',
  ];
  return lines.map(escapeMrkdwn).join('\n');
}
