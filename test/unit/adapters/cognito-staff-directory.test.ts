import { AdminListGroupsForUserCommand, ListUsersCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoStaffDirectory } from '../../../functions/adapters/cognito-staff-directory';

/** A user pool answering for one user, with the attributes given. */
function pool(attributes: Array<{ Name: string; Value: string }>) {
  const send = async (command: unknown) => {
    if (command instanceof ListUsersCommand) return { Users: [{ Username: 'bea', Enabled: true, Attributes: [{ Name: 'sub', Value: 'sub-bea' }, ...attributes] }] };
    if (command instanceof AdminListGroupsForUserCommand) return { Groups: [{ GroupName: 'agents' }] };
    throw new Error('unexpected command');
  };
  return new CognitoStaffDirectory({ send } as unknown as CognitoIdentityProviderClient, 'eu-west-1_AbC123');
}

describe('the Cognito staff directory', () => {
  it("answers a staff member's team from their custom:team attribute, which escalations follow (M3.3)", async () => {
    expect(await pool([{ Name: 'email', Value: 'bea@staff.example' }, { Name: 'custom:team', Value: 'billing' }]).find('sub-bea')).toEqual({ id: 'sub-bea', email: 'bea@staff.example', team: 'billing', roles: ['agents'] });
  });

  it('answers no team for a member without the attribute or with a blank one', async () => {
    expect((await pool([]).find('sub-bea'))?.team).toBeUndefined();
    expect((await pool([{ Name: 'custom:team', Value: '  ' }]).find('sub-bea'))?.team).toBeUndefined();
  });
});
