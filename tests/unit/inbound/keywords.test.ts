import { describe, expect, it } from 'vitest';
import { readText } from '../../../src-main/core/inbound/keywords';
import { helpReply } from '../../../src-main/core/inbound/auto-replies';
import { ftsQuery } from '../../../src-main/core/inbox/search-index';
import { renderMerge } from '../../../src-main/core/inbox/merge-fields';

const kind = (t: string) => readText(t).kind;

describe('readText: keywords are the whole message, any case, punctuation ignored', () => {
  it.each(['STOP', 'stop', 'Stop.', ' STOP! ', '"stop"', 'S.T.O.P', 'STOPALL', 'Unsubscribe', 'end', 'QUIT', 'cancel', 'Revoke', 'OPTOUT', 'opt-out', 'Opt out'])(
    '%j is an opt-out',
    (t) => expect(kind(t)).toBe('opt-out'),
  );
  it.each(['START', 'start.', 'Unstop'])('%j opts in', (t) => expect(kind(t)).toBe('opt-in'));
  it.each(['HELP', 'help!', 'Info', 'INFO?'])('%j asks for help', (t) => expect(kind(t)).toBe('help'));
  it('YES is left to the caller (confirmation or opt-in)', () => expect(kind('Yes!')).toBe('yes'));
  it.each(['C', 'c', 'Y', 'CONFIRM', 'confirmed', 'OK', 'Okay.', '👍', '👍🏻', '👍️'])('%j confirms', (t) => expect(kind(t)).toBe('confirm'));
  it.each(['R', 'r', 'RESCHEDULE', "Can't make it", 'Sorry, I can’t make it tomorrow', 'we cannot make it', 'Need to reschedule please'])(
    '%j asks to reschedule',
    (t) => expect(kind(t)).toBe('reschedule'),
  );
  it.each(['HERE', 'here!', "We're here", 'we’re here 🙂', 'I am here', 'Arrived', 'just arrived', "I'm outside"])('%j says they arrived', (t) =>
    expect(kind(t)).toBe('arrived'),
  );
  it.each(['Stop. Thank you', 'STOP please', 'Please stop texting me', 'stop texting', 'Unsubscribe me from these', 'Stop thanks'])(
    '%j is a probable opt-out for staff to check',
    (t) => expect(kind(t)).toBe('probable-opt-out'),
  );
  it.each([
    "please don't stop Rex's reminders",
    'Can you stop by the pharmacy order?',
    'Cancel my appointment please',
    'Where do we end up parking?',
    'Here is the photo you asked for',
    'Is Dr. Marsh there today?',
    'ok thanks see you then',
    '',
  ])('%j is a conversation', (t) => expect(kind(t)).toBe('none'));
});

describe('help text', () => {
  it('names the clinic, gives the phone, says how to stop and the rates notice', () => {
    const t = helpReply({ name: 'Larkspur Vet', phone: '(206) 555-0100', timeZone: 'America/Los_Angeles' });
    expect(t).toMatch(/^Larkspur Vet: /);
    expect(t).toContain('(206) 555-0100');
    expect(t).toContain('Reply STOP to opt out');
    expect(t).toContain('Msg & data rates may apply');
  });
  it("completes a clinic's own help text with what it leaves out", () => {
    const t = helpReply({ name: 'Larkspur Vet', phone: '(206) 555-0100', timeZone: 'America/Los_Angeles', helpText: 'Texts about your pets.' });
    expect(t).toBe('Larkspur Vet: Texts about your pets. Call (206) 555-0100. Reply STOP to opt out. Msg & data rates may apply.');
  });
});

describe('search query', () => {
  it('turns words into prefix terms and phone-like text into one digit run', () => {
    expect(ftsQuery('Rex  whit')).toBe('"Rex"* AND "whit"*');
    expect(ftsQuery("Rex's")).toBe('"Rex"* AND "s"*');
    expect(ftsQuery('(206) 555-0123')).toBe('numbers : "2065550123"*');
    expect(ftsQuery('+1 206 555 0123')).toBe('numbers : "12065550123"*');
    expect(ftsQuery('"')).toBeNull();
    expect(ftsQuery('OR AND NOT')).toBe('"OR"* AND "AND"* AND "NOT"*');
  });
});

describe('merge fields', () => {
  it('fills known fields and reports the missing ones', () => {
    expect(renderMerge('Hi {{client.firstName}}, {{ pet.name }} is ready. {{clinic.phone}}', { 'client.firstName': 'Dana', 'pet.name': 'Rex' })).toEqual({
      text: 'Hi Dana, Rex is ready. {{clinic.phone}}',
      missing: ['clinic.phone'],
    });
  });
  it('does not HTML-escape (this is SMS)', () => {
    expect(renderMerge('{{client.lastName}}', { 'client.lastName': "O'Brien & Co" }).text).toBe("O'Brien & Co");
  });
});
