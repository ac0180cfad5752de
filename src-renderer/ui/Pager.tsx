import { Button } from '@fluentui/react-components';

/** Previous / Next for a server-paged table. */
export function Pager({ offset, pageSize, total, onChange }: { offset: number; pageSize: number; total: number; onChange: (offset: number) => void }) {
  return (
    <div className="pl-row">
      <Button disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - pageSize))}>
        Previous
      </Button>
      <Button disabled={offset + pageSize >= total} onClick={() => onChange(offset + pageSize)}>
        Next
      </Button>
    </div>
  );
}
