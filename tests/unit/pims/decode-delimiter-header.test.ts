import { describe, expect, it } from 'vitest';
import { dedupeHeaders, detectDelimiter, findHeaderLine } from '../../../src-main/core/pims/decode';

describe('detectDelimiter', () => {
  it('finds commas in a plain CSV with quoted commas', () => {
    const t = 'AccountId,LastName,FirstName,City\r\n"1001","Reddy","Thomas","Seattle"\r\n"1002","Moore, Jr.","Rubén","Seattle"\r\n';
    expect(detectDelimiter(t)).toBe(',');
  });

  it('finds semicolons even when values use decimal commas', () => {
    const t = 'Name;Weight;Species\nRex;12,5;Dog\nMia;4,25;Cat\nBo;30;Dog\n';
    expect(detectDelimiter(t)).toBe(';');
  });

  it('finds tabs in a fully quoted TSV whose fields hold commas and newlines', () => {
    const t =
      '"Customer Identifier"\t"Customer Street Address"\t"Patient Breed"\n' +
      '"1002"\t"2428 Kestrel Ct SE\nUnit 166"\t"Chihuahua, Short Coat / Bichon Frise"\n' +
      '"1003"\t"1 Main St"\t"Retriever, Labrador"\n' +
      '"1004"\t"9 Elm St\nApt 2"\t"Poodle, Miniature, Toy"\n';
    expect(detectDelimiter(t)).toBe('\t');
  });

  it('finds pipes when names carry commas', () => {
    const t = 'CLIENT_ID|NAME|CITY\r\n1|Smith, Bob|Seattle\r\n2|Côté, Ève|Vancouver\r\n3|Li, Wei|Burnaby\r\n';
    expect(detectDelimiter(t)).toBe('|');
  });

  it('is not fooled by a title line above the header', () => {
    const t = 'Clinic Client List;Printed 12/01/2026\r\n\r\nClient #,Client Name,Phone,Mobile\r\n1,"Abdi, Ana",,786 555 0191\r\n2,"Abdi, Ryan",(317) 555-0110,\r\n';
    expect(detectDelimiter(t)).toBe(',');
  });

  it('ignores quoted fields full of another delimiter', () => {
    const t = 'a;b;c\n"x,y,z,w";"1,2";3\n"p,q,r";"4,5,6";7\n';
    expect(detectDelimiter(t)).toBe(';');
  });

  it('ignores a stray quote inside an unquoted field and a cut-off last line', () => {
    const t = 'id,name,height\n1,Bo "Big" Jr,5\'10"\n2,Al,6\'1"\n3,Cy,"5\'9""\n4,D';
    expect(detectDelimiter(t)).toBe(',');
  });

  it('defaults to comma when nothing is delimited', () => {
    expect(detectDelimiter('just one column\nof text\n')).toBe(',');
  });
});

describe('findHeaderLine', () => {
  const rows = [
    ['Clinic Client List', 'Printed 12/01/2026'],
    ['Client #', 'Client Name', 'Phone', 'Mobile', 'E-mail', 'Pet #', 'Birthdate'],
    ['36549', 'Abdi, Aaliyah', '', '786 555 0191', 'aabdi@example.com', '44983', '10/23/2016'],
    ['15821', 'Abdi, Adrián', '', '725-555-0170', 'abdia512@example.com', '18718', '4/22/2022'],
  ];

  it('skips a title line above the header', () => {
    expect(findHeaderLine(rows)).toBe(1);
  });

  it('skips blank rows too', () => {
    expect(findHeaderLine([[''], ...rows])).toBe(2);
  });

  it('uses expected column names when given', () => {
    expect(findHeaderLine(rows, ['Client #', 'client name', 'MOBILE'])).toBe(1);
  });

  it('is 0 for a file that starts with its header', () => {
    expect(findHeaderLine(rows.slice(1))).toBe(0);
    expect(findHeaderLine([])).toBe(0);
  });

  it('accepts a header with a duplicated column name', () => {
    const r = [['Report', 'x'], ['Id', 'Name', 'Phone', 'Phone', 'Email'], ['1', 'Bob', '206-555-0100', '206-555-0101', 'b@example.com']];
    expect(findHeaderLine(r)).toBe(1);
  });
});

describe('dedupeHeaders', () => {
  it('renames a second Phone to Phone_2 and reports it', () => {
    const r = dedupeHeaders(['Id', 'Phone', 'Phone', 'Email']);
    expect(r.names).toEqual(['Id', 'Phone', 'Phone_2', 'Email']);
    expect(r.duplicates).toEqual([{ index: 2, name: 'Phone', renamedTo: 'Phone_2' }]);
    expect(r.blanks).toEqual([]);
  });

  it('numbers further repeats, case-insensitively, around names already taken', () => {
    const r = dedupeHeaders(['Phone', 'Phone_2', 'PHONE', 'phone']);
    expect(r.names).toEqual(['Phone', 'Phone_2', 'PHONE_3', 'phone_4']);
    expect(r.duplicates.map((d) => d.index)).toEqual([2, 3]);
  });

  it('names blank columns and trims names, dropping a BOM', () => {
    const r = dedupeHeaders(['\ufeffId ', '', ' Name']);
    expect(r.names).toEqual(['Id', 'Column_2', 'Name']);
    expect(r.blanks).toEqual([{ index: 1, name: '', renamedTo: 'Column_2' }]);
  });
});
