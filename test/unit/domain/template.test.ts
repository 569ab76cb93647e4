import { describe, expect, it } from 'vitest';
import { formatTargets, renderHtml, renderTemplate } from '../../../domain/template';

const targets = [{ name: 'Hun Manet', title: 'Prime Minister' }, { name: 'Embassy of Cambodia' }];

describe('renderTemplate', () => {
  it('fills each placeholder', () => {
    const text = renderTemplate(
      'Hi {{firstName}}, {{caseName}} ({{caseNumber}}) needs you: {{actionUrl}} Stop: {{unsubscribeUrl}}',
      {
        firstName: 'Sophea',
        caseName: 'Kem Sokha',
        caseNumber: 'UA 12/23',
        actionUrl: 'https://x.org/a/t',
        unsubscribeUrl: 'https://x.org/u/t',
      },
    );
    expect(text).toBe('Hi Sophea, Kem Sokha (UA 12/23) needs you: https://x.org/a/t Stop: https://x.org/u/t');
  });

  it('formats targets as "Name, Title; Name"', () => {
    expect(formatTargets(targets)).toBe('Hun Manet, Prime Minister; Embassy of Cambodia');
    expect(renderTemplate('Write to {{ targets }}.', { targets })).toBe(
      'Write to Hun Manet, Prime Minister; Embassy of Cambodia.',
    );
  });

  it('renders missing and unknown placeholders as nothing, never "undefined"', () => {
    const text = renderTemplate('Hi {{firstName}}{{nope}}! {{targets}}', {});
    expect(text).toBe('Hi ! ');
    expect(text).not.toContain('undefined');
  });

  it('keeps Khmer text intact around placeholders', () => {
    expect(renderTemplate('សួស្តី {{firstName}}', { firstName: 'សុភា' })).toBe('សួស្តី សុភា');
  });

  it('does not treat values as templates or replacement patterns', () => {
    expect(renderTemplate('{{caseName}}', { caseName: "$& {{firstName}} $'", firstName: 'x' })).toBe(
      "$& {{firstName}} $'",
    );
  });
});

describe('renderHtml', () => {
  it('escapes values and template text', () => {
    const html = renderHtml('<b>{{caseName}}</b>', { caseName: '<script>alert("x")</script> & co' });
    expect(html).toBe('<p>&lt;b&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co&lt;/b&gt;</p>');
  });

  it('makes paragraphs and line breaks from plain text', () => {
    expect(renderHtml('One\ntwo\n\nThree', {})).toBe('<p>One<br>\ntwo</p>\n<p>Three</p>');
  });

  it('links http(s) action and unsubscribe URLs, escaped, and leaves other schemes as text', () => {
    expect(renderHtml('Act: {{actionUrl}}', { actionUrl: 'https://x.org/a/t?a=1&b="2"' })).toBe(
      '<p>Act: <a href="https://x.org/a/t?a=1&amp;b=&quot;2&quot;">https://x.org/a/t?a=1&amp;b=&quot;2&quot;</a></p>',
    );
    expect(renderHtml('{{actionUrl}}', { actionUrl: 'javascript:alert(1)' })).toBe(
      '<p>javascript:alert(1)</p>',
    );
  });

  it('escapes target names', () => {
    expect(renderHtml('{{targets}}', { targets: [{ name: 'A <B>', title: 'C & D' }] })).toBe(
      '<p>A &lt;B&gt;, C &amp; D</p>',
    );
  });
});
