/** What `/incident help` answers: only the subcommands this version runs. */
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
    '• `/incident help`: this list',
  ];
  return lines.join('\n');
}
