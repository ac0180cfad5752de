import { Button, Checkbox, Field, Input, Select, Subtitle2, Text } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { MAPPING_FIELDS, type ColumnMapping, type FilePreview, type ImportDelimiter, type ImportEncoding, type MappingFieldKey } from '../../../src-main/contract';
import { DELIMITER_LABEL, ENCODING_LABEL } from './format';

const GROUPS: { entity: string; label: string }[] = [
  { entity: 'clients', label: 'Client' },
  { entity: 'patients', label: 'Pet' },
  { entity: 'reminders', label: 'Service due' },
  { entity: 'appointments', label: 'Appointment' },
];

export interface Reread {
  encoding?: ImportEncoding;
  delimiter?: ImportDelimiter;
  headerLine?: number;
}

/**
 * Column mapping for a layout Pawline does not know: each field picks a column of the file, the
 * first rows show what would be read, and the result is imported once or saved as a profile.
 */
export function MappingEditor(props: {
  file: FilePreview;
  initial: ColumnMapping;
  errors: Record<string, string>;
  busy: boolean;
  onReread: (r: Reread) => void;
  onImport: (m: ColumnMapping) => void;
  onSave: (name: string, m: ColumnMapping) => void;
  onCancel: () => void;
}) {
  const { file } = props;
  const [m, setM] = useState<ColumnMapping>(() => ({ ...props.initial, columns: { ...props.initial.columns } }));
  const [name, setName] = useState('');
  const setCol = (k: MappingFieldKey, col: string) =>
    setM((prev) => {
      const columns = { ...prev.columns };
      if (col) columns[k] = col;
      else delete columns[k];
      return { ...prev, columns };
    });
  const mapped = useMemo(() => MAPPING_FIELDS.filter((f) => m.columns[f.key]).map((f) => ({ ...f, index: file.headers.indexOf(m.columns[f.key]!) })), [m, file.headers]);
  const withOptions = (): ColumnMapping => ({
    ...m,
    encoding: m.encoding,
    delimiter: m.delimiter,
    headerLine: m.headerLine,
  });

  return (
    <div className="pl-import-mapping" data-testid="mapping-editor">
      <div className="pl-row" style={{ justifyContent: 'space-between' }}>
        <Subtitle2>Map the columns of {file.name}</Subtitle2>
        <Button onClick={props.onCancel}>Close</Button>
      </div>
      <Text className="pl-muted">
        Choose, for each piece of information, the column that holds it. Only the client number and name are required; rows are matched to clients by their number on every import.
      </Text>
      <div className="pl-row" style={{ marginTop: 8 }}>
        <Field label="Encoding" size="small">
          <Select
            value={m.encoding ?? ''}
            onChange={(_, d) => {
              const encoding = (d.value || undefined) as ImportEncoding | undefined;
              setM((p) => ({ ...p, encoding }));
              props.onReread({ encoding, delimiter: m.delimiter, headerLine: m.headerLine });
            }}
          >
            <option value="">Detected: {ENCODING_LABEL[file.encoding]}</option>
            {(Object.keys(ENCODING_LABEL) as ImportEncoding[]).map((e) => (
              <option key={e} value={e}>
                {ENCODING_LABEL[e]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Separator" size="small">
          <Select
            value={m.delimiter ?? ''}
            onChange={(_, d) => {
              const delimiter = (d.value || undefined) as ImportDelimiter | undefined;
              setM((p) => ({ ...p, delimiter }));
              props.onReread({ encoding: m.encoding, delimiter, headerLine: m.headerLine });
            }}
          >
            <option value="">Detected: {DELIMITER_LABEL[file.delimiter]}</option>
            {(Object.keys(DELIMITER_LABEL) as ImportDelimiter[]).map((d) => (
              <option key={d} value={d}>
                {DELIMITER_LABEL[d]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Header on line" size="small">
          <Input
            type="number"
            style={{ width: 90 }}
            value={String(m.headerLine ?? file.headerLine)}
            onChange={(_, d) => setM((p) => ({ ...p, headerLine: Number(d.value) || undefined }))}
            onBlur={() => props.onReread({ encoding: m.encoding, delimiter: m.delimiter, headerLine: m.headerLine })}
          />
        </Field>
        <Field label="Dates are written" size="small">
          <Select value={m.dateOrder ?? 'MDY'} onChange={(_, d) => setM((p) => ({ ...p, dateOrder: d.value as 'MDY' | 'DMY' }))}>
            <option value="MDY">month/day/year (03/04 = March 4)</option>
            <option value="DMY">day/month/year (03/04 = 3 April)</option>
          </Select>
        </Field>
        <Checkbox
          checked={!!m.fullExport}
          onChange={(_, d) => setM((p) => ({ ...p, fullExport: !!d.checked }))}
          label="The file lists every client and pet (mark the others as gone)"
        />
      </div>

      <div className="pl-import-fields">
        {GROUPS.map((g) => (
          <fieldset key={g.entity} className="pl-import-group">
            <legend>{g.label}</legend>
            {MAPPING_FIELDS.filter((f) => f.entity === g.entity).map((f) => (
              <Field key={f.key} label={f.label} size="small" required={'required' in f && f.required} validationMessage={props.errors[f.key]} validationState={props.errors[f.key] ? 'error' : 'none'}>
                <Select value={m.columns[f.key] ?? ''} onChange={(_, d) => setCol(f.key, d.value)} data-testid={`map-${f.key}`}>
                  <option value="">—</option>
                  {file.headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </Select>
              </Field>
            ))}
          </fieldset>
        ))}
      </div>

      <Subtitle2>What would be read (first rows)</Subtitle2>
      {mapped.length === 0 ? (
        <Text className="pl-muted">Choose some columns to see them here.</Text>
      ) : (
        <div className="pl-import-scroll">
          <table className="pl-table" data-testid="mapping-preview">
            <thead>
              <tr>
                {mapped.map((f) => (
                  <th key={f.key}>{f.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {file.rows.slice(0, 10).map((r, i) => (
                <tr key={i}>
                  {mapped.map((f) => (
                    <td key={f.key}>{f.index >= 0 ? r[f.index] : ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="pl-row" style={{ marginTop: 12 }}>
        <Button appearance="primary" disabled={props.busy} onClick={() => props.onImport(withOptions())} data-testid="mapping-import">
          Import with this mapping
        </Button>
        <Input placeholder="Profile name, e.g. Our PIMS client list" value={name} onChange={(_, d) => setName(d.value)} data-testid="mapping-name" />
        <Button disabled={props.busy || !name.trim()} onClick={() => props.onSave(name.trim(), withOptions())} data-testid="mapping-save">
          Save as profile
        </Button>
        {props.errors.name && <span className="pl-warn">{props.errors.name}</span>}
      </div>
    </div>
  );
}
