/**
 * Message templates for every domain. Typical use:
 *   const t = createTemplateStore(db, clock);
 *   const msg = t.render('appointment.confirm', { clinic: clinicContext(profile), pet: 'Max', ... }, { lang: 'en', channel: 'sms', optOut: true });
 * or for literal text (a staff reply): renderTemplate('Hi {{client.firstName}}', ctx).
 */
export { createTemplateStore, type TemplateStore, type TemplateInfo, type ResolvedTemplate, type SaveTemplateInput } from './store';
export { renderTemplate, renderVariant, checkTemplateSyntax, clinicContext, emailHtml, tidySms, type RenderOptions } from './render';
export { DEFAULT_TEMPLATES, OPT_OUT_LINE, RELATIVE_DAY } from './defaults';
export { LANGS, toLang, formatDate, formatDay, formatTime, localParts, type Lang } from './locale';
export { petsPhrase, petsDatedPhrase, petNames, serviceName, joinList, displayPetName, type DueService } from './phrasing';
export { loadOptOutNotices, type OptOutNotices } from './opt-out';
export { sampleContext } from './sample';
export { templateHandlers } from './handlers';
export type { TemplateText, TemplateDef, TemplateChannel, TemplateKind, MessageContext, ClinicContext, ClientContext, RenderedMessage } from './types';
