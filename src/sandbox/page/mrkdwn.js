// Slack's mrkdwn as HTML: escaped first, then mentions, links, dates, code and emphasis.
export const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
// Slack reads &amp; &lt; &gt; in message text as the characters they stand for.
const unentity = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
export function mrkdwnWith(text, names, channels) {
  let out = '';
  const parts = String(text).split(/```/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) { out += `<pre>${escape(unentity(part.replace(/^\n/, '')))}</pre>`; return; }
    // Slack's <…> sequences are set aside before escaping, so their URLs are escaped once.
    const tokens = [];
    let s = part.replace(/<([^>\n]+)>/g, (_m, inner) => `\u0001${tokens.push(unentity(inner)) - 1}\u0002`);
    s = escape(unentity(s)).replace(/\u0001(\d+)\u0002/g, (_m, index) => {
      const [target, label] = tokens[Number(index)].split('|');
      if (target.startsWith('@')) return `<b>@${escape(names[target.slice(1)] ?? target.slice(1))}</b>`;
      if (target.startsWith('#')) return `<b>#${escape(channels[target.slice(1)] ?? label ?? target.slice(1))}</b>`;
      if (target.startsWith('!date^')) return escape(new Date(Number(target.split('^')[1]) * 1000).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }));
      if (target.startsWith('!')) return `<b>@${escape(target.slice(1).split('^')[0])}</b>`;
      // Links come from alerts too: only web and mail links become clickable.
      if (!/^(https?:|mailto:)/i.test(target)) return escape(label ?? target);
      // A sandbox file's permalink opens the file from this page.
      const file = /^http:\/\/sandbox\.localhost\/files\/[^/]+\/([^/]+)/.exec(target);
      const href = file ? `/sandbox/files/${encodeURIComponent(file[1])}` : target;
      return `<a href="${escape(href)}" target="_blank" rel="noopener">${escape(label ?? target)}</a>`;
    });
    s = s.replace(/`([^`\n]+)`/g, '<code>$1</code>').replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<b>$2</b>').replace(/(^|[\s(])_([^_\n]+)_/g, '$1<i>$2</i>').replace(/(^|[\s(])~([^~\n]+)~/g, '$1<s>$2</s>');
    out += s.replace(/\n/g, '<br>');
  });
  return out;
}
