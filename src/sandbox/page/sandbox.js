// The Slack sandbox page: plain DOM, no build step. Everything it does goes to /sandbox/*, which
// sends the bot what Slack would (signed) and shows what the bot asked Slack to show.
import { mrkdwnWith } from './mrkdwn.js';

const $ = (id) => document.getElementById(id);
const ui = {
  me: localStorage.getItem('sandbox.me') ?? '',
  channel: localStorage.getItem('sandbox.channel') ?? '',
  thread: '',
  data: null,
  known: null,
  follow: false,
  viewShown: '',
  last: '',
  stickUntil: 0,
};

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'html') el.innerHTML = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

async function call(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error?.message ?? `${response.status}`);
  return json;
}

const mrkdwn = (text) => mrkdwnWith(text, ui.data?.names ?? {}, Object.fromEntries((ui.data?.channels ?? []).map((c) => [c.id, c.name])));
const textOf = (t) => (t ? (t.type === 'mrkdwn' ? h('span', { html: mrkdwn(t.text) }) : h('span', {}, t.text)) : '');

// --- Block Kit ---------------------------------------------------------------------------------------------
function button(el, blockId, message) {
  const cls = `btn ${el.style ?? ''}`;
  return h('button', { class: cls, type: 'button', 'data-action': el.action_id, onclick: () => press(el, blockId, message) }, el.text?.text ?? el.action_id);
}

function block(b, message) {
  switch (b.type) {
    case 'header': return h('div', { class: 'block header' }, b.text?.text ?? '');
    case 'divider': return h('hr', { class: 'block divider' });
    case 'markdown': return h('div', { class: 'block', html: mrkdwn((b.text ?? '').replace(/\*\*([^*]+)\*\*/g, '*$1*').replace(/^#+\s+(.*)$/gm, '*$1*')) });
    case 'context': return h('div', { class: 'block context' }, (b.elements ?? []).map((e) => (e.type === 'image' ? h('img', { src: e.image_url, alt: e.alt_text, width: 16 }) : textOf(e))));
    case 'actions': return h('div', { class: 'block actions' }, (b.elements ?? []).filter((e) => e.type === 'button').map((e) => button(e, b.block_id, message)));
    case 'section': return h('div', { class: 'block section' },
      b.text ? h('div', {}, textOf(b.text)) : null,
      b.fields ? h('div', { class: 'fields' }, b.fields.map((f) => h('div', {}, textOf(f)))) : null,
      b.accessory?.type === 'button' && message ? h('div', {}, button(b.accessory, b.block_id, message)) : null);
    case 'input': return inputBlock(b);
    default: return h('div', { class: 'block' }, `[${b.type} block]`);
  }
}

function inputBlock(b) {
  const e = b.element ?? {};
  const id = `in-${b.block_id}`;
  let control;
  if (e.type === 'static_select') {
    control = h('select', { id, 'data-block': b.block_id, 'data-action': e.action_id, 'data-type': e.type },
      b.optional || !e.initial_option ? h('option', { value: '' }, e.placeholder?.text ?? 'Choose…') : null,
      (e.options ?? []).map((o) => h('option', { value: o.value, selected: e.initial_option?.value === o.value }, o.text.text)));
  } else if (e.type === 'checkboxes') {
    control = h('div', { id, class: 'checks' }, (e.options ?? []).map((o) => h('label', {},
      h('input', { type: 'checkbox', 'data-block': b.block_id, 'data-action': e.action_id, 'data-type': e.type, value: o.value, 'data-text': o.text.text, checked: (e.initial_options ?? []).some((i) => i.value === o.value) }),
      h('span', {}, o.text.text, o.description ? h('div', { class: 'context' }, o.description.text) : null))));
  } else {
    const attrs = { id, 'data-block': b.block_id, 'data-action': e.action_id, 'data-type': e.type ?? 'plain_text_input', placeholder: e.placeholder?.text, required: !b.optional };
    control = e.multiline ? h('textarea', { ...attrs, rows: 4 }, e.initial_value ?? '') : h('input', { ...attrs, value: e.initial_value ?? '' });
  }
  return h('div', { class: 'block input' }, h('label', { for: id }, b.label?.text ?? ''), control, b.hint ? h('div', { class: 'context' }, b.hint.text) : null, h('div', { class: 'error', 'data-error': b.block_id }));
}

// --- messages ----------------------------------------------------------------------------------------------
const time = (ts) => new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const who = (id) => (id === ui.data.bot.id ? ui.data.bot.name : (ui.data.names[id] ?? id));

function messageEl(m, { inThread = false, ephemeral = false, compact = false } = {}) {
  const replies = !inThread && m.reply_count ? h('div', { class: 'tools' }, h('button', { type: 'button', onclick: () => openThread(m.ts) }, `${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'} →`)) : null;
  const files = (m.files ?? []).map((f) => h('div', { class: 'file' }, '📄 ', h('a', { href: `/sandbox/files/${f.id}`, target: '_blank', 'data-file': f.id }, f.title ?? f.name)));
  const reactions = m.reactions?.length ? h('div', { class: 'reactions' }, m.reactions.map((r) => h('span', { class: 'reaction', title: r.users.map(who).join(', ') }, `${r.name === 'pushpin' ? '📌' : `:${r.name}:`} ${r.count}`))) : null;
  const tools = ephemeral ? null : h('div', { class: 'tools' }, h('button', { type: 'button', title: 'React with 📌: put this message on the incident timeline', onclick: () => react(m) }, '📌 Pin to timeline'), !inThread && !m.reply_count && m.thread_ts ? null : null);
  return h('article', { class: `msg${ephemeral ? ' ephemeral' : ''}`, 'data-ts': m.ts },
    h('div', {}, h('span', { class: 'who' }, who(m.user)), h('span', { class: 'when' }, time(m.ts)), ephemeral ? h('span', { class: 'only' }, ' · only visible to you') : null),
    m.blocks?.length && !compact ? m.blocks.map((b) => block(b, m)) : h('div', { html: mrkdwn(m.text ?? '') }),
    files, reactions, replies, tools);
}

function render() {
  const d = ui.data;
  const actor = $('actor');
  actor.replaceChildren(...d.users.map((u) => h('option', { value: u.id, selected: u.id === ui.me }, `${u.realName} (${u.role})`)));
  const rb = $('runbook');
  if (!rb.options.length) rb.replaceChildren(...d.runbooks.map((r) => h('option', { value: r.id }, `${r.title} · ${r.severity}`)), h('option', { value: '' }, 'No runbook: labels only'));
  const item = (c) => h('li', {}, h('button', { type: 'button', 'aria-current': String(c.id === ui.channel), class: c.archived ? 'archived' : '', onclick: () => select(c.id) }, c.isIm ? c.name : `# ${c.name}`));
  const chans = d.channels.filter((c) => !c.isIm).sort((a, b) => (a.name === 'general' ? -1 : b.name === 'general' ? 1 : b.created - a.created || b.name.localeCompare(a.name)));
  $('channels').replaceChildren(...chans.map(item));
  $('dms').replaceChildren(...d.channels.filter((c) => c.isIm).map(item));
  const c = d.channel;
  $('channel-name').textContent = c ? (c.isIm ? c.name : `#${c.name}${c.archived ? ' (archived)' : ''}`) : '';
  $('topic').innerHTML = c?.topic ? mrkdwn(c.topic) : '';
  const top = (c?.messageList ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const items = [...top.map((m) => ({ ts: m.ts, el: () => messageEl(m) })), ...d.ephemerals.map((e) => ({ ts: e.ts, el: () => messageEl({ ...e, user: d.bot.id }, { ephemeral: true }) }))].sort((a, b) => Number(a.ts) - Number(b.ts));
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(...items.map((i) => i.el()));
  if (items.length === 0 && c?.name === 'general') box.append(h('p', { class: 'hint' }, 'Nothing here yet. Fire a sample alert (on the left) to open an incident channel, or type /incident help below (press / to jump there).'));
  // Follow the conversation, and show the answer to what was just typed.
  if (atBottom || Date.now() < ui.stickUntil) box.scrollTop = box.scrollHeight;
  renderThread();
  renderModal();
}

function renderThread() {
  const pane = $('thread');
  const list = ui.data.channel?.messageList ?? [];
  const parent = list.find((m) => m.ts === ui.thread);
  if (!parent) { pane.hidden = true; return; }
  pane.hidden = false;
  const replies = list.filter((m) => m.thread_ts === ui.thread && m.ts !== ui.thread);
  // Follow new replies, as Slack does, unless the reader scrolled up.
  const follow = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40 || replies.length > (ui.threadReplies ?? 0);
  ui.threadReplies = replies.length;
  pane.replaceChildren(h('h2', {}, 'Thread', h('button', { class: 'btn', type: 'button', onclick: () => { ui.thread = ''; renderThread(); } }, 'Close')), messageEl(parent, { inThread: true, compact: true }), h('div', { 'aria-live': 'polite' }, replies.map((m) => messageEl(m, { inThread: true }))));
  if (follow) pane.scrollTop = pane.scrollHeight;
}

// --- actions -----------------------------------------------------------------------------------------------
async function press(el, blockId, message) {
  if (el.url && /^https?:/i.test(el.url)) window.open(el.url, '_blank', 'noopener');
  if (el.confirm && !(await confirmDialog(el.confirm))) return;
  await call('/sandbox/button', { user: ui.me, channel: ui.channel, ts: message.ts, block_id: blockId, action_id: el.action_id }).catch(alert);
}

function confirmDialog(c) {
  const dlg = $('confirm');
  return new Promise((resolve) => {
    const close = (answer) => { dlg.close(); resolve(answer); };
    dlg.replaceChildren(h('header', {}, c.title?.text ?? 'Are you sure?'), h('div', { class: 'body' }, textOf(c.text)),
      h('footer', {}, h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, c.deny?.text ?? 'Cancel'), h('button', { class: `btn ${c.style === 'danger' ? 'danger' : 'primary'}`, type: 'button', 'data-confirm': 'yes', onclick: () => close(true) }, c.confirm?.text ?? 'Yes')));
    dlg.onclose = () => resolve(false);
    dlg.showModal();
  });
}

function renderModal() {
  const dlg = $('modal');
  const open = ui.data.view;
  if (!open) { if (dlg.open) dlg.close(); ui.viewShown = ''; return; }
  if (ui.viewShown === open.id && dlg.open) return;
  ui.viewShown = open.id;
  const v = open.view;
  const form = h('form', { method: 'dialog', onsubmit: (e) => { e.preventDefault(); submitModal(open.id, form); } },
    h('header', {}, v.title?.text ?? ''), h('div', { class: 'body' }, (v.blocks ?? []).map((b) => block(b, null))),
    h('footer', {}, h('button', { class: 'btn', type: 'button', onclick: () => call('/sandbox/view/close', { user: ui.me, view_id: open.id }) }, v.close?.text ?? 'Cancel'), v.submit ? h('button', { class: 'btn primary', type: 'submit' }, v.submit.text) : null));
  dlg.replaceChildren(form);
  dlg.onclose = () => { if (ui.data.view?.id === open.id) call('/sandbox/view/close', { user: ui.me, view_id: open.id }); };
  dlg.showModal();
}

async function submitModal(viewId, form) {
  const values = {};
  for (const el of form.querySelectorAll('[data-block]')) {
    if (el.dataset.type === 'checkboxes') {
      const entry = ((values[el.dataset.block] ??= {})[el.dataset.action] ??= { type: 'checkboxes', selected_options: [] });
      if (el.checked) entry.selected_options.push({ text: { type: 'plain_text', text: el.dataset.text }, value: el.value });
      continue;
    }
    const entry = el.dataset.type === 'static_select'
      ? { type: 'static_select', selected_option: el.value ? { text: { type: 'plain_text', text: el.selectedOptions[0].textContent }, value: el.value } : null }
      : { type: 'plain_text_input', value: el.value === '' ? null : el.value };
    (values[el.dataset.block] ??= {})[el.dataset.action] = entry;
  }
  const answer = await call('/sandbox/view', { user: ui.me, view_id: viewId, values }).catch((e) => ({ failed: e }));
  for (const el of form.querySelectorAll('[data-error]')) el.textContent = answer.errors?.[el.dataset.error] ?? '';
  if (answer.failed) alert(answer.failed);
}

async function react(m) {
  await call('/sandbox/reaction', { user: ui.me, channel: ui.channel, ts: m.ts, name: 'pushpin' }).catch(alert);
}

function openThread(ts) { ui.thread = ts; ui.threadReplies = 0; renderThread(); }
function select(id) { ui.stickUntil = Date.now() + 2000; ui.channel = id; ui.thread = ''; localStorage.setItem('sandbox.channel', id); load(); }

// --- loading -----------------------------------------------------------------------------------------------
let loading = null;
let again = false;
async function load() {
  if (loading) { again = true; return loading; }
  loading = (async () => {
    do {
      again = false;
      const query = new URLSearchParams({ user: ui.me || '', channel: ui.channel || '' });
      if (!ui.me) query.delete('user');
      const d = await (await fetch(`/sandbox/state?${query}`)).json();
      // A person remembered from another configuration is not one of these.
      if (!d.users.some((u) => u.id === ui.me)) { ui.me = d.users[0]?.id ?? ''; again = true; continue; }
      const ids = new Set(d.channels.map((c) => c.id));
      const fresh = ui.known ? d.channels.filter((c) => !ui.known.has(c.id) && !c.isIm) : [];
      ui.known = ids;
      const target = ui.follow && fresh.length ? fresh[0].id : !ids.has(ui.channel) ? d.channels.find((c) => c.name === 'general')?.id : null;
      if (target) { ui.follow = false; ui.channel = target; localStorage.setItem('sandbox.channel', target); again = true; ui.data = d; continue; }
      // Nothing new (another tab's change, a keep-alive): keep the DOM, and what has focus.
      const text = JSON.stringify(d);
      if (text === ui.last) continue;
      ui.last = text;
      ui.data = d;
      render();
    } while (again);
    loading = null;
  })();
  return loading;
}

$('actor').addEventListener('change', (e) => { ui.me = e.target.value; localStorage.setItem('sandbox.me', ui.me); load(); });
$('composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('command');
  const text = input.value.trim();
  const m = /^\/incident(?:\s+([\s\S]*))?$/.exec(text);
  if (!m) { alert('Type a command such as /incident help (the sandbox sends only /incident commands to the bot).'); return; }
  input.value = '';
  ui.stickUntil = Date.now() + 3000;
  // A declared incident opens its channel: go there, as a sample alert does.
  if (/^declare\b/i.test((m[1] ?? '').trim())) ui.follow = true;
  await call('/sandbox/command', { user: ui.me, channel: ui.channel, text: (m[1] ?? '').trim() }).catch(alert);
});
$('fire').addEventListener('submit', async (e) => {
  e.preventDefault();
  const labels = Object.fromEntries($('labels').value.split('\n').map((l) => l.split('=').map((s) => s.trim())).filter(([k, v]) => k && v !== undefined));
  const runbook = $('runbook').value || undefined;
  ui.follow = true;
  $('fire-status').textContent = 'Sending to /webhooks/alertmanager…';
  try {
    const r = await call('/sandbox/alert', { runbook, labels });
    $('fire-status').textContent = r.ok ? `Sent ${r.labels.alertname} (HTTP ${r.status})` : `The bot answered HTTP ${r.status}`;
  } catch (error) { ui.follow = false; $('fire-status').textContent = String(error.message); }
});
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName)) { e.preventDefault(); $('command').focus(); $('command').value = '/incident '; }
});

new EventSource('/sandbox/stream').addEventListener('change', () => load());
load();
