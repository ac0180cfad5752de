/** Small display helpers shared by the inbox's queries. No personal data leaves through logs here. */

/** '(206) 555-0123' for +1 numbers; other addresses (short codes, foreign numbers) as they are. */
export function displayAddress(address: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(address);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : address;
}

/** 'Dana Whitfield'; null when the PIMS has neither part. */
export function clientName(first: string | null | undefined, last: string | null | undefined): string | null {
  const n = [first, last].filter((x) => x && x.trim()).join(' ').trim();
  return n || null;
}

/** One line for the conversation list: whitespace collapsed, cut at a word near `max`. */
export function previewOf(body: string, max = 90): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut) + '…';
}

/** Search tokens for a number: every way a receptionist might type part of it. */
export function numberTokens(address: string): string[] {
  const digits = address.replace(/\D/g, '');
  if (!digits) return [address];
  const out = new Set<string>([digits]);
  if (digits.length === 11 && digits.startsWith('1')) {
    const ten = digits.slice(1);
    out.add(ten);
    out.add(ten.slice(3));
    out.add(ten.slice(6));
  }
  return [...out];
}

/** 'Rex', 'Rex and Bella', 'Rex, Bella and Milo'. */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
