import type { PeopleQuery } from './documents.generated';

type Person = PeopleQuery['users'][number];

/**
 * The people a manager sees in the team view: active members of the teams
 * they manage and people who report to them directly, without themselves.
 * Admins see every active rep. Ordered by name.
 */
export function teamMembers(people: PeopleQuery, me: { id: string; role: string }): Person[] {
  const managed = new Set(people.teams.filter((team) => team.manager?.id === me.id).map((team) => team.id));
  const members = people.users.filter((user) => {
    if (!user.active || user.id === me.id) return false;
    if (me.role === 'ADMIN') return user.role === 'REP';
    return (user.team !== null && user.team !== undefined && managed.has(user.team.id)) || user.manager?.id === me.id;
  });
  return members.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
