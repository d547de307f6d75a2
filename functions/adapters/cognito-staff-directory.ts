import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type AttributeType,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { StaffRoleSchema, type StaffRole } from '../core/roles';
import type { StaffDirectory, StaffMember } from '../core/staff';

const attribute = (attrs: AttributeType[] | undefined, name: string) => attrs?.find((a) => a.Name === name)?.Value;

/** The user attribute naming a staff member's team (docs/roles.md): escalations follow it (escalation-contacts.ts). */
export const TEAM_ATTRIBUTE = 'custom:team';

/**
 * The staff directory in AWS: the Cognito user pool staff sign in with. A staff member's id is
 * their `sub` (what their access token carries); their roles are their groups; their team is
 * their `custom:team` attribute (groups stay roles only, so a team never grants a permission).
 */
export class CognitoStaffDirectory implements StaffDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async find(id: string): Promise<StaffMember | undefined> {
    // A sub has no quotes or backslashes; anything else cannot be one, and must not reach the filter.
    if (!/^[0-9a-zA-Z-]{1,128}$/.test(id)) return undefined;
    const out = await this.cognito.send(new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `sub = "${id}"`, Limit: 1 }));
    const user = out.Users?.[0];
    if (!user?.Username || user.Enabled === false) return undefined;
    const groups = await this.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: user.Username }));
    return this.member(user, (groups.Groups ?? []).map((g) => g.GroupName ?? ''));
  }

  async list(role: StaffRole): Promise<StaffMember[]> {
    const members: StaffMember[] = [];
    let token: string | undefined;
    do {
      const out = await this.cognito.send(new ListUsersInGroupCommand({ UserPoolId: this.userPoolId, GroupName: role, ...(token ? { NextToken: token } : {}) }));
      for (const user of out.Users ?? []) if (user.Enabled !== false) members.push(this.member(user, [role]));
      token = out.NextToken;
    } while (token);
    return members;
  }

  private member(user: UserType, groups: string[]): StaffMember {
    const name = attribute(user.Attributes, 'name');
    const email = attribute(user.Attributes, 'email');
    const team = attribute(user.Attributes, TEAM_ATTRIBUTE)?.trim();
    return {
      id: attribute(user.Attributes, 'sub') ?? user.Username ?? '',
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      ...(team ? { team } : {}),
      roles: groups.flatMap((g) => {
        const parsed = StaffRoleSchema.safeParse(g);
        return parsed.success ? [parsed.data] : [];
      }),
    };
  }
}
