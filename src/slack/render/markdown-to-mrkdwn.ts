import { Lexer, type Token, type Tokens } from 'marked';
import { escapeMrkdwn, link } from './mrkdwn.js';

/**
 * Converts the CommonMark runbooks are written in to Slack mrkdwn. Parsing with a CommonMark
 * lexer (not line by line) keeps emphasis that wraps across source lines whole and reflows
 * paragraphs: a soft line break becomes a space, as it does in rendered Markdown. Headings and
 * strong text become *bold*, emphasis _italic_, lists • or numbered, links <url|text>; code keeps
 * its text, escaped. Everything else is escaped, so runbook text can never mention or link.
 */
export function markdownToMrkdwn(markdown: string): string {
  const blocks = new Lexer({ gfm: true }).lex(markdown);
  return renderBlocks(blocks, '').replace(/\n{3,}/g, '\n\n').trim();
}

function renderBlocks(tokens: readonly Token[], indent: string): string {
  let out = '';
  let previous: Token | undefined;
  for (const token of tokens) {
    const text = renderBlock(token, indent);
    if (text === undefined) continue;
    // A heading sits directly above its content; other blocks keep a blank line between them.
    out += previous === undefined ? text : `${previous.type === 'heading' ? '\n' : '\n\n'}${text}`;
    previous = token;
  }
  return out;
}

function renderBlock(token: Token, indent: string): string | undefined {
  switch (token.type) {
    case 'space':
      return undefined;
    case 'heading':
      return `${indent}*${plainInline((token as Tokens.Heading).tokens)}*`;
    case 'paragraph':
      return indent + renderInline((token as Tokens.Paragraph).tokens);
    case 'text': {
      const text = token as Tokens.Text;
      return indent + (text.tokens ? renderInline(text.tokens) : reflow(escapeMrkdwn(text.text)));
    }
    case 'list':
      return renderList(token as Tokens.List, indent);
    case 'code':
      return `${indent}\`\`\`\n${escapeMrkdwn((token as Tokens.Code).text)}\n\`\`\``;
    case 'blockquote':
      return renderBlocks((token as Tokens.Blockquote).tokens, indent)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'hr':
      return `${indent}───`;
    case 'table':
    case 'html':
    default:
      // Tables and raw HTML have no mrkdwn form: show their source as code.
      return `${indent}\`\`\`\n${escapeMrkdwn(token.raw.trimEnd())}\n\`\`\``;
  }
}

function renderList(list: Tokens.List, indent: string): string {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, index) => {
      const marker = list.ordered ? `${start + index}. ` : '• ';
      const nested = `${indent}${' '.repeat(marker.length + 1)}`;
      const [first, ...rest] = item.tokens;
      const head = first ? (renderBlock(first, '') ?? '') : '';
      const tail = rest
        .map((token) => renderBlock(token, nested))
        .filter((text): text is string => text !== undefined);
      // A tight list keeps its items' parts on consecutive lines; a loose one separates them.
      return [`${indent}${marker}${head}`, ...tail].join(list.loose ? '\n\n' : '\n');
    })
    .join(list.loose ? '\n\n' : '\n');
}

function renderInline(tokens: readonly Token[]): string {
  return tokens.map(renderInlineToken).join('');
}

function renderInlineToken(token: Token): string {
  switch (token.type) {
    case 'text':
    case 'escape': {
      const text = token as Tokens.Text;
      return text.tokens ? renderInline(text.tokens) : reflow(escapeMrkdwn(text.text));
    }
    case 'strong':
      return wrap('*', plainInline((token as Tokens.Strong).tokens));
    case 'em':
      return wrap('_', plainInline((token as Tokens.Em).tokens));
    case 'del':
      return wrap('~', plainInline((token as Tokens.Del).tokens));
    case 'codespan':
      return `\`${escapeMrkdwn((token as Tokens.Codespan).text)}\``;
    case 'br':
      return '\n';
    case 'link': {
      const anchor = token as Tokens.Link;
      return link(anchor.href, plainText(anchor.tokens));
    }
    case 'image': {
      const image = token as Tokens.Image;
      return link(image.href, image.text || image.href);
    }
    default:
      return reflow(escapeMrkdwn(token.raw));
  }
}

/** Inline content inside bold or italic: mrkdwn cannot nest styles, so inner ones are dropped. */
function plainInline(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'codespan' || token.type === 'link' || token.type === 'br') return renderInlineToken(token);
      if ('tokens' in token && Array.isArray(token.tokens)) return plainInline(token.tokens as Token[]);
      return reflow(escapeMrkdwn('text' in token && typeof token.text === 'string' ? token.text : token.raw));
    })
    .join('');
}

function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens)) return plainText(token.tokens as Token[]);
      return 'text' in token && typeof token.text === 'string' ? token.text : token.raw;
    })
    .join('')
    .replace(/\s*\n\s*/g, ' ');
}

/** A soft line break inside a paragraph is a space in rendered Markdown. */
function reflow(text: string): string {
  return text.replace(/[ \t]*\n[ \t]*/g, ' ');
}

/** Slack styles a span only when its markers touch the text, so surrounding spaces move outside. */
function wrap(marker: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [lead, body, trail] = [match?.[1] ?? '', match?.[2] ?? '', match?.[3] ?? ''];
  return body ? `${lead}${marker}${body}${marker}${trail}` : inner;
}
