import { currentFormat } from '../../ui/format';

export const num = (n: number) => currentFormat().num(n);
export const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(r >= 0.995 || r < 0.1 ? 0 : 1)}%`);
/** Sub-dollar figures (a day of texts) keep four decimals: a segment costs under a cent. */
export const usd = (v: number) => {
  const d = v > 0 && v < 1 ? 4 : 2;
  return v.toLocaleString(currentFormat().locale, { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol', minimumFractionDigits: d, maximumFractionDigits: d });
};

/** '1 postcard', '3 postcards'. */
export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
