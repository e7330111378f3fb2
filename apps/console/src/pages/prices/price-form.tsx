import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PriceResponse, PriceSet } from '@tollgate/contracts';
import { api } from '../../api/client';
import { refusalFor } from '../../api/api-error';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { useSession } from '../../session/session-context';
import { useFocusOnEdit } from './editing';
import { IMAGES, ImagePrices, PARTS, PartValue, type PartName } from './price-parts';
import { SaveOrClear } from './edit-controls';

export const PRICES_KEY = ['prices'] as const;

interface Draft {
  model: string;
  parts: Record<PartName, string>;
  /** One "size=price" per line. */
  images: string;
}

type Errors = Partial<Record<'model' | 'images', string>>;

/** "2.500000" → "2.5": the API's six decimals, as a person would type the amount. */
const typed = (amount: string): string => (amount.includes('.') ? amount.replace(/\.?0+$/, '') : amount);

function draftOf(price: PriceResponse | null): Draft {
  const parts = Object.fromEntries(
    PARTS.map((part) => {
      const amount = price?.[part.name];
      return [part.name, amount ? typed(amount) : ''];
    }),
  ) as Record<PartName, string>;
  const images = Object.entries(price?.image_prices ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([size, amount]) => `${size}=${typed(amount)}`)
    .join('\n');
  return { model: price?.model ?? '', parts, images };
}

/** "1024x1024=0.04" lines → { '1024x1024': '0.04' }; the error names a line that is not size=price. */
function imagesOf(text: string): Record<string, string> | string {
  const table: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const at = line.indexOf('=');
    if (at <= 0 || at === line.length - 1) return `"${line}" is not of the form size=price.`;
    table[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return table;
}

/**
 * The whole price as the form shows it: the form replaces a model's price,
 * so every part is sent, an empty one as 0 or, for a part that follows
 * another price, as null. The amounts go as typed: the API is the one that
 * refuses a negative or malformed amount, with its documented message.
 */
function bodyOf(draft: Draft): { body?: PriceSet; errors: Errors } {
  const errors: Errors = {};
  if (!draft.model) errors.model = 'A model name is required.';
  const images = imagesOf(draft.images);
  if (typeof images === 'string') errors.images = images;
  if (Object.keys(errors).length > 0 || typeof images === 'string') return { errors };
  const parts = Object.fromEntries(
    PARTS.map((part) => [part.name, draft.parts[part.name].trim() || (part.unset === null ? '0' : null)]),
  );
  return { body: { ...parts, image_prices: images }, errors };
}

/**
 * Set a model's price: creates it, or replaces every part of an existing
 * one. `price` (a row's Edit) fills the form with that model's price and
 * puts the focus on it; the form is remounted for each Edit and each Clear.
 */
export function PriceForm({ price, onClear }: { price: PriceResponse | null; onClear: () => void }) {
  const { currency } = useSession();
  const queries = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(price));
  const [errors, setErrors] = useState<Errors>({});
  const modelInput = useFocusOnEdit<HTMLInputElement>(price !== null);
  const save = useMutation({
    mutationFn: ({ model, body }: { model: string; body: PriceSet }) =>
      api.put<PriceResponse>(`/prices/${encodeURIComponent(model)}`, body),
    onSuccess: () => void queries.invalidateQueries({ queryKey: PRICES_KEY }),
  });

  /** A value edited after an answer: the last answer no longer describes the form. */
  function edit(change: (d: Draft) => Draft) {
    setDraft(change);
    if (!save.isIdle) save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = bodyOf(draft);
    setErrors(result.errors);
    if (result.body) save.mutate({ model: draft.model, body: result.body });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="set-price-title" className="price-form">
      <h2 id="set-price-title">Set a price</h2>
      <p className="hint">
        {price
          ? `Loaded from the price of ${price.model}. `
          : "A new model name creates its price; an existing one's is replaced. "}
        Saving sends every part as shown here.
      </p>
      <Field
        label="Model"
        hint="The model name as clients send it; each row's Edit above loads a model's price"
        error={errors.model ?? refusalFor(save.error, 'model')}
      >
        {(props) => (
          <input
            {...props}
            ref={modelInput}
            value={draft.model}
            onChange={(e) => edit((d) => ({ ...d, model: e.target.value }))}
            autoComplete="off"
            required
          />
        )}
      </Field>
      <div className="price-parts">
        {PARTS.map((part) => (
          <Field
            key={part.name}
            label={`${part.label} price (${currency} ${part.unit})`}
            hint={`${part.description}. Up to 6 decimals; empty = ${part.unset ?? '0'}`}
            error={refusalFor(save.error, part.name)}
          >
            {(props) => (
              <input
                {...props}
                inputMode="decimal"
                autoComplete="off"
                value={draft.parts[part.name]}
                onChange={(e) => edit((d) => ({ ...d, parts: { ...d.parts, [part.name]: e.target.value } }))}
              />
            )}
          </Field>
        ))}
      </div>
      <Field
        label={`${IMAGES.fieldLabel} (${currency} ${IMAGES.unit})`}
        hint={`${IMAGES.description}: one size=price per line, e.g. 1024x1024=0.04 or *=0.08; empty = none`}
        error={errors.images ?? refusalFor(save.error, 'image_prices')}
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            value={draft.images}
            onChange={(e) => edit((d) => ({ ...d, images: e.target.value }))}
          />
        )}
      </Field>
      <SaveOrClear saveLabel="Save price" pending={save.isPending} onClear={onClear} />
      {save.error && <ErrorMessage error={save.error} title="The price was not saved; nothing changed." />}
      {save.data && <SavedPrice price={save.data} />}
    </form>
  );
}

/** What was saved, part by part, as the API answered it. */
function SavedPrice({ price }: { price: PriceResponse }) {
  const { currency } = useSession();
  return (
    <div className="notice" role="status">
      <p>
        <strong>Saved</strong> the price of {price.model}:
      </p>
      <ul>
        {PARTS.map((part) => (
          <li key={part.name}>
            {part.label}: <PartValue price={price} part={part} withUnit />
          </li>
        ))}
        <li>
          {IMAGES.label} ({currency} {IMAGES.unit}): <ImagePrices prices={price.image_prices} />
        </li>
      </ul>
    </div>
  );
}
