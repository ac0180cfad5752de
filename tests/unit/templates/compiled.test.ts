import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src-main/core/templates/compiled';
import { DEFAULT_TEMPLATES } from '../../../src-main/core/templates/defaults';
import { renderTemplate } from '../../../src-main/core/templates/render';

const plain = { escape: (v: unknown) => String(v) };
const viaMustache = (t: string, view: object) => Mustache.render(t, view, undefined, plain);

/** A view with what merge contexts hold: nested strings, empty and missing values, numbers, functions, a getter. */
function view(): object {
  let reads = 0;
  const base = {
    clinic: { name: 'Larkspur Hollow Veterinary Clinic', phone: '(206) 555-0100', website: '' },
    client: { firstName: 'Zoë', lastName: "O'Brien" },
    pets: 'Max and Luna',
    petNames: 'Max, Luna',
    count: 3,
    zero: 0,
    no: false,
    nothing: null,
    undef: undefined,
    list: ['a', 'b'],
    obj: { inner: { deep: 'x' } },
    html: '<b>&"</b>',
    fn() {
      return `called:${(this as { pets: string }).pets}`;
    },
    nullFn: () => null,
    get lazy() {
      reads++;
      return `lazy${reads}`;
    },
  };
  // renderVariant renders a child of the context with optOut on top.
  const child = Object.create(base) as Record<string, unknown>;
  child.optOut = 'Reply STOP to opt out.';
  return child;
}

const EDGE = [
  '',
  'plain text, no tags',
  '{{clinic.name}}: closed today. {{client.firstName}}, call {{clinic.phone}} to rebook {{pets}}.',
  '{{ clinic.name }} {{{clinic.name}}} {{&clinic.name}}',
  '{{missing}}|{{missing.deep}}|{{clinic.missing}}|{{nothing}}|{{undef}}|{{nothing.x}}',
  '{{count}} {{zero}} {{no}} {{list}} {{obj}} {{obj.inner.deep}} {{obj.inner}}',
  '{{html}} {{{html}}}',
  '{{fn}} {{nullFn}} {{lazy}} {{lazy}} {{{lazy}}}',
  '{{client.firstName.length}} {{pets.length}} {{client.firstName.toUpperCase}} {{count.toFixed}}',
  '{{optOut}} and {{clinic.website}}.',
  'Line one\n{{! a standalone comment }}\nLine two {{! inline }} end',
  '{{=<% %>=}}<% clinic.name %> {{clinic.name}} <%={{ }}=%>{{pets}}',
  'Unicode: café ✓ 😀 {{client.lastName}}\r\n',
  '{{constructor}} {{toString}} {{hasOwnProperty}} {{__proto__}}',
  '{{.}}',
  '{{#pets}}has pets{{/pets}}',
  '{{^nothing}}none{{/nothing}}',
  '{{> partial}}',
];

describe('compiled text templates', () => {
  it('render exactly what mustache renders (text mode), or decline', () => {
    for (const t of EDGE) {
      const f = compileText(t);
      if (f) expect([t, f(view())]).toEqual([t, viaMustache(t, view())]);
    }
    // What they decline: sections, partials, the view itself, names on Object.prototype.
    for (const t of ['{{#pets}}has pets{{/pets}}', '{{^nothing}}none{{/nothing}}', '{{> partial}}', '{{.}}', '{{constructor}}', '{{toString.x}}']) {
      expect(compileText(t)).toBeNull();
    }
    expect(compileText('{{clinic.name}}: {{client.firstName}} {{{pets}}} {{! x }}')).not.toBeNull();
  });

  it('agree with mustache on every shipped template text they accept', () => {
    let accepted = 0;
    for (const def of DEFAULT_TEMPLATES) {
      for (const channels of Object.values(def.variants)) {
        for (const text of Object.values(channels ?? {})) {
          for (const t of [text.body, text.subject ?? '']) {
            const f = compileText(t);
            if (!f) continue;
            accepted++;
            expect(f(view())).toBe(viaMustache(t, view()));
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('agree with mustache on random templates built from tags, text and comments', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
    const names = ['clinic.name', 'client.firstName', 'pets', 'missing', 'nothing', 'count', 'obj.inner.deep', 'fn', 'lazy', 'html', 'optOut', 'client.firstName.length', 'list'];
    const bits = [
      () => pick(['Hi ', ', ', '.', ' ', '\n', '  \n', 'é', '😀', '{ }', '}}', 'a{b', ': ', '\t']),
      () => `{{${pick(['', ' '])}${pick(names)}${pick(['', ' '])}}}`,
      () => `{{{${pick(names)}}}}`,
      () => `{{&${pick(names)}}}`,
      () => `{{! ${pick(['note', 'x y'])} }}`,
      () => `\n{{! standalone }}\n`,
    ];
    for (let i = 0; i < 2000; i++) {
      const t = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => pick(bits)()).join('');
      const f = compileText(t);
      expect(f, t).not.toBeNull();
      expect([t, f!(view())]).toEqual([t, viaMustache(t, view())]);
    }
  });

  it('renderTemplate keeps mustache for HTML and still reports a broken template', () => {
    expect(renderTemplate('{{html}}', view(), { html: true })).toBe(Mustache.render('{{html}}', view()));
    expect(renderTemplate('{{html}}', view())).toBe('<b>&"</b>');
    expect(() => renderTemplate('{{#open}} never closed', view())).toThrow(/The template has a mistake/);
    expect(() => renderTemplate('{{fn}}', { fn: () => { throw new Error('boom'); } })).toThrow(/The template has a mistake: boom/);
  });
});
