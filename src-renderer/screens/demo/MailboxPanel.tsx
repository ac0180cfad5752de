import { Card, CardHeader, Subtitle2, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useQuery } from '../../api/context';

/** Every email the local mail server received, newest first; click one to read its text part. */
export function MailboxPanel() {
  const { data: mails } = useQuery('demo.mailbox', [{ limit: 200 }], { refreshOn: ['demo.changed'] });
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Card className="pl-demo-mailbox">
      <CardHeader header={<Subtitle2>Mailbox</Subtitle2>} description={<Text className="pl-muted">{mails?.length ?? 0} emails received</Text>} />
      <ul className="pl-demo-mails" data-testid="demo-mailbox">
        {(mails ?? []).map((m) => (
          <li key={m.id}>
            <button type="button" onClick={() => setOpen(open === m.id ? null : m.id)} aria-expanded={open === m.id}>
              <strong>{m.subject}</strong>
              <span className="pl-muted"> to {m.to.join(', ')}</span>
            </button>
            {open === m.id && (
              <div className="pl-demo-mail">
                <small className="pl-muted">
                  From {m.from}
                  {m.replyTo ? ` · Reply-To ${m.replyTo}` : ''}
                  {m.listUnsubscribe ? ' · has an unsubscribe link' : ''}
                  {m.hasHtml ? ' · HTML and plain text' : ' · plain text only'}
                </small>
                <pre>{m.text}</pre>
              </div>
            )}
          </li>
        ))}
        {mails && !mails.length && <li className="pl-muted">No emails yet.</li>}
      </ul>
    </Card>
  );
}
