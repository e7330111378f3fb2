import type { FormEvent, ReactNode } from 'react';
import type { Role, UserResponse } from '@tollgate/contracts';
import { refusalFor } from '../../api/api-error';
import { Field } from '../../components/field';
import { ROLE_TEXT, ROLES } from './roles';

/** The fields a user is created or edited with, as typed (trimmed): an empty e-mail means none. */
export interface UserDraft {
  name: string;
  email: string;
  role: Role;
  group: string;
}

/** A new user: the API's defaults, shown so the admin sees what they get. */
export const NEW_USER: UserDraft = { name: '', email: '', role: 'user', group: 'default' };

export const draftOf = (user: UserResponse): UserDraft => ({
  name: user.name,
  email: user.email ?? '',
  role: user.role,
  group: user.group,
});

function readDraft(form: HTMLFormElement): UserDraft {
  const values = new FormData(form);
  const text = (name: keyof UserDraft) => {
    const value = values.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  return { name: text('name'), email: text('email'), role: text('role') as Role, group: text('group') };
}

/**
 * The name, e-mail, role and group of a user: the create form and the edit
 * form are this one form with other starting values. It does not check the
 * values itself (`noValidate`): the admin API does, and its documented
 * message is what the admin sees, the same as from the CLI.
 */
export function UserForm({
  initial,
  labelledBy,
  submitLabel,
  pendingLabel,
  pending,
  onSubmit,
  refused,
  children,
}: {
  initial: UserDraft;
  /** The id of the heading that names the form. */
  labelledBy: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  onSubmit: (draft: UserDraft) => void;
  /** The last submit's refusal: the field it names is marked with its message. */
  refused?: unknown;
  /** The answer to the last submit (a refusal, a notice), under the button. */
  children?: ReactNode;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(readDraft(event.currentTarget));
  }

  return (
    <form onSubmit={submit} aria-labelledby={labelledBy} noValidate>
      <Field label="Name" error={refusalFor(refused, 'name')}>
        {(props) => <input {...props} name="name" defaultValue={initial.name} required autoComplete="off" />}
      </Field>
      <Field label="E-mail" hint="Optional; staff find the user by it" error={refusalFor(refused, 'email')}>
        {(props) => <input {...props} name="email" type="email" defaultValue={initial.email} autoComplete="off" />}
      </Field>
      <Field label="Role" hint="Only root may create a root user or change one" error={refusalFor(refused, 'role')}>
        {(props) => (
          <select {...props} name="role" defaultValue={initial.role}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {`${role}: ${ROLE_TEXT[role]}`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Group"
        hint="The price group: letters, digits, dots, dashes or underscores"
        error={refusalFor(refused, 'group')}
      >
        {(props) => <input {...props} name="group" defaultValue={initial.group} required autoComplete="off" />}
      </Field>
      <button type="submit" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
      {children}
    </form>
  );
}
