// Slack's mrkdwn as HTML: escaped first, then mentions, links, dates, code and emphasis.
export const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
// Slack reads &amp; &lt; &gt; in message text as the characters they stand for.
const unentity = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
export function mrkdwnWith(text, names, channels) {
  let out = '';
  const parts = String(text).split(/```/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) { out += `<pre>${escape(unentity(part.replace(/^\n/, '')))}</pre>`; return; }
    let s = part.replace(/<([^>\n]+)>/g, (_m, inner) => `\u0001${inner}\u0002`);
    s = escape(unentity(s)).replace(/\u0001([^\u0002]*)\u0002/g, (_m, inner) => {
      const [target, label] = inner.split('|');
      if (target.startsWith('@')) return `<b>@${escape(names[target.slice(1)] ?? target.slice(1))}</b>`;
      if (target.startsWith('#')) return `<b>#${escape(channels[target.slice(1)] ?? label ?? target.slice(1))}</b>`;
      if (target.startsWith('!date^')) return escape(new Date(Number(target.split('^')[1]) * 1000).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }));
      if (target.startsWith('!')) return `<b>@${escape(target.slice(1).split('^')[0])}</b>`;
      // Links come from alerts too: only web and mail links become clickable.
      if (!/^(https?:|mailto:)/i.test(target)) return escape(label ?? target);
      return `<a href="${escape(target)}" target="_blank" rel="noopener">${escape(label ?? target)}</a>`;
    });
    s = s.replace(/`([^`\n]+)`/g, '<code>$1</code>').replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<b>$2</b>').replace(/(^|[\s(])_([^_\n]+)_/g, '$1<i>$2</i>').replace(/(^|[\s(])~([^~\n]+)~/g, '$1<s>$2</s>');
    out += s.replace(/\n/g, '<br>');
  });
  return out;
}
