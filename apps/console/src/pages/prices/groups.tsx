import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { GroupList, GroupResponse, MultiplierInput } from '@tollgate/contracts';
import { api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { refusalFor } from '../../api/api-error';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { QuerySection } from '../../components/query-section';
import { useEditing, useFocusOnEdit } from './editing';
import { RowEditButton, SaveOrClear } from './edit-controls';

const GROUPS_KEY = ['groups'] as const;

/** Mirrors MultiplierInput in billing.api.ts: LIMITS.multiplierBasisPoints / 10 000, up to 4 decimals. */
const MAX_MULTIPLIER = 100;

/** "0.8000" → "×0.8000": a multiplier reads as one. */
const times = (multiplier: string) => `×${multiplier}`;

/**
 * Price groups: every customer is in one (set on their user), and pays the
 * list price times the group's multiplier; a group with no multiplier here
 * pays list price (×1). Setting one for a new name creates the group.
 */
export function GroupsSection() {
  const groups = useQuery({
    queryKey: GROUPS_KEY,
    queryFn: ({ signal }) => api.get<GroupList>('/groups', undefined, signal),
  });
  const editing = useEditing<GroupResponse>();
  return (
    <>
      <QuerySection id="groups" title="Group multipliers" query={groups} failure="Could not list the groups.">
        {(list) => <GroupTable groups={list.data} onEdit={editing.edit} />}
      </QuerySection>
      <MultiplierForm key={editing.version} group={editing.row} onClear={editing.clear} />
    </>
  );
}

function GroupTable({ groups, onEdit }: { groups: readonly GroupResponse[]; onEdit: (group: GroupResponse) => void }) {
  if (groups.length === 0) {
    return <p>No group has a multiplier yet: every customer pays list price (×1).</p>;
  }
  return (
    <div className="table-scroll">
      <table className="group-table">
        <caption>Groups with a multiplier; any other group pays list price (×1)</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" className="num">
              Multiplier
            </th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="unit">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.group}>
              <th scope="row">{group.group}</th>
              <td className="num">{times(group.multiplier)}</td>
              <td>
                <DateTime value={group.updated_at} />
              </td>
              <td>
                <RowEditButton name={group.group} onClick={() => onEdit(group)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Set a group's multiplier; the values go as typed, and the API refuses a malformed name or multiplier. */
function MultiplierForm({ group, onClear }: { group: GroupResponse | null; onClear: () => void }) {
  const queries = useQueryClient();
  const [name, setName] = useState(group?.group ?? '');
  const [multiplier, setMultiplier] = useState(group?.multiplier ?? '');
  const [nameError, setNameError] = useState<string | null>(null);
  const nameInput = useFocusOnEdit<HTMLInputElement>(group !== null);
  const save = useMutation({
    mutationFn: ({ group, body }: { group: string; body: MultiplierInput }) =>
      api.put<GroupResponse>(`/groups/${encodeURIComponent(group)}/multiplier`, body),
    onSuccess: () => void queries.invalidateQueries({ queryKey: GROUPS_KEY }),
  });

  /** A value edited after an answer: the last answer no longer describes the form. */
  function edited(set: (value: string) => void, value: string) {
    set(value);
    if (!save.isIdle) save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    // An empty name would be another route; anything else the API checks.
    setNameError(name ? null : 'A group name is required.');
    if (name) save.mutate({ group: name, body: { multiplier: multiplier.trim() } });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="set-multiplier-title" className="multiplier-form">
      <h2 id="set-multiplier-title">Set a group multiplier</h2>
      <Field
        label="Group"
        hint="Letters, digits, dots, dashes or underscores; a new name creates the group"
        error={nameError ?? refusalFor(save.error, 'group')}
      >
        {(props) => (
          <input
            {...props}
            ref={nameInput}
            value={name}
            onChange={(e) => edited(setName, e.target.value)}
            autoComplete="off"
            required
          />
        )}
      </Field>
      <Field
        label="Multiplier (× list price)"
        hint={`From 0 to ${MAX_MULTIPLIER}, up to 4 decimals: 0.8 for 20 % off, 1 for list price`}
        error={refusalFor(save.error, 'multiplier')}
      >
        {(props) => (
          <input
            {...props}
            inputMode="decimal"
            autoComplete="off"
            value={multiplier}
            onChange={(e) => edited(setMultiplier, e.target.value)}
            required
          />
        )}
      </Field>
      <SaveOrClear saveLabel="Save multiplier" pending={save.isPending} onClear={onClear} />
      {save.error && <ErrorMessage error={save.error} title="The multiplier was not saved; nothing changed." />}
      {save.data && (
        <p className="notice" role="status">
          <strong>Saved</strong>: group {save.data.group} pays {times(save.data.multiplier)} the list price.
        </p>
      )}
    </form>
  );
}
