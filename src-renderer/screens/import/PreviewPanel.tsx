import { Badge, Button, Subtitle2, Text } from '@fluentui/react-components';
import type { FilePreview, ImportPreview } from '../../../src-main/contract';
import { bytes, DELIMITER_LABEL, ENCODING_LABEL } from './format';

/** What was found at the chosen path: each file's detected layout, encoding, separator and header. */
export function PreviewPanel(props: { preview: ImportPreview; selected: string | null; onSelect: (f: FilePreview) => void; onMap: (f: FilePreview) => void }) {
  const { preview } = props;
  const file = preview.files.find((f) => f.path === props.selected) ?? null;
  return (
    <div className="pl-import-card">
      <Subtitle2>
        {preview.isFolder ? `${preview.files.length} export file${preview.files.length === 1 ? '' : 's'} in ${preview.path}` : preview.path}
      </Subtitle2>
      {preview.ignored.length > 0 && <Text className="pl-muted"> (not export files, ignored: {preview.ignored.slice(0, 5).join(', ')}{preview.ignored.length > 5 ? '…' : ''})</Text>}
      <table className="pl-table" data-testid="import-files">
        <thead>
          <tr>
            <th>File</th>
            <th>Detected layout</th>
            <th>Encoding</th>
            <th>Separator</th>
            <th>Header</th>
            <th>Columns</th>
            <th>Size</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {preview.files.map((f) => (
            <tr key={f.path} className={f.path === props.selected ? 'pl-import-selected' : ''} onClick={() => props.onSelect(f)} style={{ cursor: 'pointer' }}>
              <td>{f.name}</td>
              <td data-testid={`layout-${f.name}`}>
                {f.problem ? (
                  <span className="pl-warn">{f.problem}</span>
                ) : f.layout ? (
                  <Badge appearance="tint" color="success">
                    {f.layout.label}
                  </Badge>
                ) : (
                  <Badge appearance="tint" color="warning">
                    Unknown layout
                  </Badge>
                )}
              </td>
              <td>{f.problem ? '' : ENCODING_LABEL[f.encoding]}</td>
              <td>{f.problem ? '' : DELIMITER_LABEL[f.delimiter]}</td>
              <td>{f.headerLine ? `line ${f.headerLine}` : ''}{f.rowsAboveHeader ? ` (${f.rowsAboveHeader} title line${f.rowsAboveHeader > 1 ? 's' : ''} above)` : ''}</td>
              <td>
                {f.headers.length}
                {f.duplicateHeaders.length > 0 && (
                  <span className="pl-warn" title={f.duplicateHeaders.map((d) => `${d.name} → ${d.renamedTo}`).join(', ')}>
                    {' '}
                    {f.duplicateHeaders.length} repeated
                  </span>
                )}
              </td>
              <td>{bytes(f.bytes)}</td>
              <td>
                {!f.problem && (!f.layout || f.layout.kind === 'combined') && (
                  <Button
                    size="small"
                    onClick={(e) => {
                      e.stopPropagation();
                      props.onMap(f);
                    }}
                    data-testid={`map-${f.name}`}
                  >
                    Map columns
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {file && !file.problem && (
        <>
          <Subtitle2>First rows of {file.name}</Subtitle2>
          {file.duplicateHeaders.length > 0 && (
            <div className="pl-warn">
              Repeated column names are kept apart: {file.duplicateHeaders.map((d) => `"${d.name}" → "${d.renamedTo}"`).join(', ')}.
            </div>
          )}
          <div className="pl-import-scroll">
            <table className="pl-table" data-testid="import-first-rows">
              <thead>
                <tr>
                  {file.headers.map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {file.rows.slice(0, 10).map((r, i) => (
                  <tr key={i}>
                    {r.map((c, j) => (
                      <td key={j}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
