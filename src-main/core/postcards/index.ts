import type { Handlers } from '../../contract';
import type { CoreContext } from '../index';
import { createPostcardBatches, type PostcardBatches } from './batch';

type PostcardHandlers = Pick<Handlers, 'postcards.pending' | 'postcards.generate' | 'postcards.batches' | 'postcards.file'>;

export interface Postcards {
  handlers: PostcardHandlers;
  batches: PostcardBatches;
}

/** Print-ready postcard batches for the 'postcard' messages the planner queues (the dispatcher leaves them alone). */
export function createPostcards(ctx: Pick<CoreContext, 'db' | 'clock' | 'settings' | 'outbox' | 'dataDir' | 'events' | 'log'>): Postcards {
  const batches = createPostcardBatches(ctx);
  return {
    batches,
    handlers: {
      'postcards.pending': () => batches.pending(),
      'postcards.generate': async () => {
        const r = await batches.generate();
        if (r.batch) {
          ctx.log.info('postcard batch printed', { batch: r.batch.id, cards: r.batch.cards, problems: r.problems.length });
          ctx.events.emit('postcards.generated', r.batch);
        }
        return { batch: r.batch, problems: r.problems };
      },
      'postcards.batches': (arg) => batches.list(arg?.limit),
      'postcards.file': async ({ id }) => {
        const f = await batches.file(String(id ?? ''));
        return { fileName: f.summary.fileName, base64: f.pdf.toString('base64'), bytes: f.pdf.length, pages: f.summary.pages };
      },
    },
  };
}
