import { registerEnumType } from '@nestjs/graphql';
import { Role, ROLE_RULES, ROLES } from '../roles.js';

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may see and do',
  valuesMap: Object.fromEntries(ROLES.map((role) => [role.toUpperCase(), { description: ROLE_RULES[role].label }])),
});

export { Role };
