import { Field, Input, MessageBar, MessageBarBody, type InputProps } from '@fluentui/react-components';
import { useState } from 'react';
import { CallError } from '../api/transport';

/** Form state plus the core's field errors, keyed by path ('address.city'). */
export function useForm<T extends object>(initial: T) {
  const [value, setValue] = useState<T>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ intent: 'success' | 'error' | 'warning' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (path: string, v: unknown) => {
    setValue((prev) => setPath(prev, path, v));
    setErrors((e) => {
      const { [path]: _drop, ...rest } = e;
      return rest;
    });
  };
  const run = async (fn: () => Promise<string | void>) => {
    setBusy(true);
    setBanner(null);
    try {
      const msg = await fn();
      setErrors({});
      if (msg) setBanner({ intent: 'success', text: msg });
    } catch (e) {
      if (e instanceof CallError) {
        setErrors(e.fields ?? {});
        setBanner({ intent: 'error', text: e.message });
      } else setBanner({ intent: 'error', text: String(e) });
    } finally {
      setBusy(false);
    }
  };
  return { value, setValue, set, errors, banner, setBanner, busy, run };
}

function setPath<T>(obj: T, path: string, v: unknown): T {
  const [head, ...rest] = path.split('.');
  const o = (obj ?? {}) as Record<string, unknown>;
  return { ...o, [head]: rest.length ? setPath(o[head], rest.join('.'), v) : v } as T;
}

export function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string, unknown>)[k]), obj);
}

export function TextField(props: {
  form: ReturnType<typeof useForm<any>>;
  path: string;
  label: string;
  hint?: string;
  type?: InputProps['type'];
  placeholder?: string;
  required?: boolean;
  number?: boolean;
}) {
  const { form, path } = props;
  const raw = getPath(form.value, path);
  return (
    <Field label={props.label} hint={props.hint} required={props.required} validationMessage={form.errors[path]} validationState={form.errors[path] ? 'error' : 'none'}>
      <Input
        data-testid={`field-${path}`}
        type={props.type}
        placeholder={props.placeholder}
        value={raw == null ? '' : String(raw)}
        onChange={(_, d) => form.set(path, props.number ? (d.value === '' ? 0 : Number(d.value)) : d.value)}
      />
    </Field>
  );
}

export function Banner({ banner }: { banner: { intent: 'success' | 'error' | 'warning' | 'info'; text: string } | null }) {
  if (!banner) return null;
  return (
    <MessageBar intent={banner.intent} data-testid="form-banner">
      <MessageBarBody>{banner.text}</MessageBarBody>
    </MessageBar>
  );
}
