import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { foldForSearch, foldedColumn, registerSearchFold } from '../../../src-main/core/text/search-fold';

describe('accent- and case-blind search keys', () => {
  it('folds accents, case and letters NFD keeps whole', () => {
    expect(foldForSearch('Côté')).toBe('cote');
    expect(foldForSearch('CÔTÉ')).toBe('cote');
    expect(foldForSearch('Chloé')).toBe('chloe');
    // Decomposed input (e + combining acute), as some keyboards and PDFs produce it.
    expect(foldForSearch('Chloe\u0301')).toBe('chloe');
    expect(foldForSearch('Søren Ærø')).toBe('soren aero');
    expect(foldForSearch('Castañeda')).toBe('castaneda');
    expect(foldForSearch('Cote')).toBe('cote');
  });

  it('matches either way round in SQL, folding only non-ASCII values', () => {
    const db = new Database(':memory:');
    registerSearchFold(db);
    registerSearchFold(db); // idempotent
    db.exec("CREATE TABLE c (name TEXT); INSERT INTO c VALUES ('Côté'), ('CÔTÉ'), ('Cote'), ('Chloé'), ('Chloe'), ('Coté-Smith'), ('Carter'), (NULL)");
    const find = (q: string) =>
      (db.prepare(`SELECT name FROM c WHERE ${foldedColumn('name')} LIKE ? ORDER BY rowid`).all(`%${foldForSearch(q)}%`) as { name: string }[]).map((r) => r.name);
    expect(find('Cote')).toEqual(['Côté', 'CÔTÉ', 'Cote', 'Coté-Smith']);
    expect(find('côté')).toEqual(['Côté', 'CÔTÉ', 'Cote', 'Coté-Smith']);
    expect(find('Chloe')).toEqual(['Chloé', 'Chloe']);
    expect(find('Chloé')).toEqual(['Chloé', 'Chloe']);
    expect(find('carter')).toEqual(['Carter']);
    db.close();
  });
});
