import { decide, type DecisionInput } from '../../src/reconcile/decide.js';
import { accountFor, allSwitchesOn, desiredUser } from '../helpers/factories.js';

const input = (overrides: Partial<DecisionInput>): DecisionInput => ({
  desired: undefined,
  account: undefined,
  managed: false,
  held: false,
  switches: allSwitchesOn,
  ...overrides,
});

describe('the decision table', () => {
  test('creates an active account for an enabled user in scope with no account', () => {
    const desired = desiredUser();
    const decision = decide(input({ desired }));
    expect(decision).toMatchObject({ kind: 'create', active: true });
    expect(decision.fieldChanges.map((c) => c.field)).toEqual(['first_name', 'last_name', 'email']);
  });

  test('links an unmanaged matching account, updating only the differing fields and activating it', () => {
    const desired = desiredUser();
    const account = accountFor(desired, {
      active: false,
      fields: { ...desired.fields, email: 'old@example.com' },
    });
    expect(decide(input({ desired, account }))).toMatchObject({
      kind: 'link',
      active: true,
      fieldChanges: [{ field: 'email', from: 'old@example.com', to: desired.fields.email }],
    });
  });

  test('links an unmanaged account that is already in step without writing a field', () => {
    const desired = desiredUser();
    expect(decide(input({ desired, account: accountFor(desired) }))).toMatchObject({
      kind: 'link',
      active: undefined,
      fieldChanges: [],
    });
  });

  test('updates a managed account whose mapped field changed', () => {
    const desired = desiredUser();
    const account = accountFor(desired, { fields: { ...desired.fields, last_name: 'Before' } });
    expect(decide(input({ desired, account, managed: true }))).toMatchObject({
      kind: 'update',
      fieldChanges: [{ field: 'last_name', from: 'Before', to: desired.fields.last_name }],
    });
  });

  test('does nothing for a managed account in step', () => {
    const desired = desiredUser();
    expect(decide(input({ desired, account: accountFor(desired), managed: true })).kind).toBe('none');
  });

  test('enables a managed account that is inactive while the user is enabled', () => {
    const desired = desiredUser();
    const account = accountFor(desired, { active: false });
    expect(decide(input({ desired, account, managed: true }))).toMatchObject({
      kind: 'enable',
      active: true,
    });
  });

  test('renames a managed account whose user name changed, but not for a change of case alone', () => {
    const desired = desiredUser({ userName: 'jsmith2' });
    const renamed = accountFor(desired, { userName: 'jsmith' });
    expect(decide(input({ desired, account: renamed, managed: true }))).toMatchObject({
      kind: 'update',
      userName: 'jsmith2',
    });
    const recased = accountFor(desired, { userName: 'JSmith2' });
    expect(decide(input({ desired, account: recased, managed: true })).kind).toBe('none');
  });

  test('does not provision a disabled user unless provisioning disabled users is on', () => {
    const desired = desiredUser({ enabled: false });
    expect(decide(input({ desired })).kind).toBe('none');
    const switches = { ...allSwitchesOn, provisionDisabledUsers: true };
    expect(decide(input({ desired, switches }))).toMatchObject({ kind: 'create', active: false });
  });

  test('disables an active managed or matched account of a user disabled in the directory', () => {
    const desired = desiredUser({ enabled: false });
    const account = accountFor(desired, { active: true });
    expect(decide(input({ desired, account, managed: true }))).toMatchObject({
      kind: 'disable',
      active: false,
    });
    expect(decide(input({ desired, account, managed: false }))).toMatchObject({
      kind: 'disable',
      active: false,
    });
  });

  test('disables a managed account whose user left the scope', () => {
    const account = accountFor(desiredUser());
    expect(decide(input({ account, managed: true }))).toMatchObject({ kind: 'disable', active: false });
  });

  test('never touches an account out of scope that the product never managed', () => {
    const account = accountFor(desiredUser());
    expect(decide(input({ account, managed: false })).kind).toBe('none');
  });

  test('keeps a held account disabled whatever the directory says', () => {
    const desired = desiredUser();
    const active = accountFor(desired, { active: true });
    expect(decide(input({ desired, account: active, managed: true, held: true }))).toMatchObject({
      kind: 'disable',
    });
    const inactive = accountFor(desired, { active: false });
    expect(decide(input({ desired, account: inactive, managed: true, held: true })).kind).toBe('none');
    expect(decide(input({ desired, held: true })).kind).toBe('none');
  });

  test('respects each switch being off', () => {
    const desired = desiredUser();
    const off = (name: 'create' | 'update' | 'disable') => ({ ...allSwitchesOn, [name]: false });
    expect(decide(input({ desired, switches: off('create') })).kind).toBe('none');

    const changed = accountFor(desired, { fields: { ...desired.fields, email: 'x@example.com' } });
    expect(decide(input({ desired, account: changed, managed: true, switches: off('update') })).kind).toBe(
      'none',
    );

    const leaver = accountFor(desiredUser());
    expect(decide(input({ account: leaver, managed: true, switches: off('disable') })).kind).toBe('none');
  });
});
