export {
  analyzeSms,
  validateSmsBody,
  estimateCost,
  MAX_SMS_BODY,
  GSM_SINGLE,
  GSM_MULTI,
  UCS2_SINGLE,
  UCS2_MULTI,
  type SmsAnalysis,
  type SmsEncoding,
  type SmsBodyCheck,
  type SmsBodyError,
} from './sms-segments';
export { smartCharsFix, type SmartCharsResult } from './smart-chars';
export { gsmSeptets, isGsmExtension } from './gsm7';
