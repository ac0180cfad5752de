export {
  parsePhone,
  nanpKey,
  isShortCode,
  phoneTypeOf,
  type ParsedPhone,
  type ParsePhoneOptions,
  type PhoneType,
} from './phone';
export { parseEmail, EMAIL_PATTERN, type ParsedEmail } from './email';
export {
  parseDate,
  parseDateTime,
  parseTime,
  excelSerialToDate,
  EXCEL_SERIAL_MIN,
  EXCEL_SERIAL_MAX,
  type DateOrder,
  type ParseDateOptions,
  type ParsedDateTime,
  type ParseTimeOptions,
} from './dates';
export { parseBool, parseSex, cleanName, cleanText, type Sex, type SexAndNeuter } from './values';
