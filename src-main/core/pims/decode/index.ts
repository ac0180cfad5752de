export {
  detectEncoding,
  decodeStream,
  decodeSample,
  decodeWindows1252,
  TextDecodeStream,
  ChunkDecoder,
  type TextEncoding,
} from './encoding';
export { detectDelimiter, DELIMITERS, type Delimiter } from './delimiter';
export { findHeaderLine, dedupeHeaders, HEADER_SEARCH_ROWS, type HeaderRename, type DedupedHeaders } from './header';
export {
  readRecords,
  RecordsReadError,
  type ReadRecordsOptions,
  type RecordsInfo,
  type RecordItem,
  type RecordReader,
} from './rows';
