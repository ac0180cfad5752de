import { Link, Spinner } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { MediaContent, ThreadMedia } from '../../../src-main/contract';
import { useApi } from '../../api/context';

/** Images the browser can show; anything else (HEIC, video, vCard) becomes a download link. */
const SHOWABLE = /^image\/(png|jpe?g|gif|webp|bmp)$/;

/** One MMS attachment, loaded as a data: URL through the API (the CSP allows data: images only). */
export function MediaItem({ media }: { media: ThreadMedia }) {
  const api = useApi();
  const [content, setContent] = useState<MediaContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (media.state !== 'stored') return;
    let live = true;
    api
      .call('inbox.media', { mediaId: media.id })
      .then((c) => live && setContent(c))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [api, media.id, media.state]);

  if (media.state === 'pending') return <Spinner size="tiny" label="Downloading picture…" />;
  if (media.state === 'failed') return <span className="pl-warn">Picture not downloaded{media.error ? `: ${media.error}` : ''}</span>;
  if (error) return <span className="pl-warn">{error}</span>;
  if (!content) return <Spinner size="tiny" />;
  if (SHOWABLE.test(content.contentType))
    return (
      <a href={content.dataUrl} download={`picture-${media.id}`} title="Save the picture">
        <img className="pl-mms" src={content.dataUrl} alt="Picture sent by the owner" data-testid={`media-${media.id}`} />
      </a>
    );
  return (
    <Link href={content.dataUrl} download={`attachment-${media.id}`}>
      Download attachment ({content.contentType}, {Math.ceil(content.bytes / 1024)} KB)
    </Link>
  );
}
