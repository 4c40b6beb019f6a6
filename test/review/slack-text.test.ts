import { describe, expect, it } from 'vitest';
import { inline, quote } from '../../src/review/review-format.js';

describe('Slack text in the review file', () => {
  it('reads as plain text: dates, channels, links and entities resolved, mentions kept for names', () => {
    const pinned = 'Paged <@U0SBXL2SAMO|sam> at <!date^1796531543^{time}|10:32 UTC> in <#C0INC1|inc-db>: see <https://grafana.example/d?a=1&amp;b=2|the graph> &lt;b&gt; <!here>';
    expect(quote(pinned)).toBe('> Paged <@U0SBXL2SAMO> at 10:32 UTC in #inc-db: see the graph (https://grafana.example/d?a=1&amp;b=2) &lt;b> @here');
    expect(inline('<script>alert(1)</script> & <@U0AB12>')).toBe('&lt;script>alert(1)&lt;/script> &amp; <@U0AB12>');
  });
});
