// What `fastpy ai` tells a model: the commands it may plan, the field language, this project's
// conventions and resources, and the exact JSON to answer with.
import { FIELD_TYPES } from '../../runtime/fields/spec.js';
import { MAKE_COMMANDS } from '../cli/commands/make.js';
import { PLAN_COMMANDS, type KnownResource } from './plan.js';

/** The system prompt: fixed for a given project state, so replies are reproducible. */
export function systemPrompt(project: Record<string, KnownResource>): string {
  const makes = Object.entries(MAKE_COMMANDS)
    .map(
      ([name, spec]) =>
        `- fastpy make:${name} <${spec.argument}>${spec.flags
          .filter((flag) => flag.option !== 'remove')
          .map((flag) => ` [${flag.flags.split(',')[0]}${flag.flags.includes('<') ? ' …' : ''}]`)
          .join('')}: ${spec.description}`,
    )
    .join('\n');
  const existing = Object.entries(project);
  return `You plan changes to a fastpy project: a Koa + Knex TypeScript API. You answer with a plan of fastpy commands and nothing else.

## Answer format
Reply with one JSON object and no other text:
{"steps":[{"command":"fastpy make:resource Post -f title:string:required,max:200 -m","reason":"posts: the blog's articles"}]}
Each step is one fastpy command (no shell syntax, no other programs) and a one-line reason.

## Commands you may use
${makes}
- ${PLAN_COMMANDS.map((name) => `fastpy ${name}`).join(', ')}
Never use --force, --remove, db:fresh or db:rollback. End with "fastpy db:migrate" when you created or changed tables.

## Fields: -f name:type[:rules] (repeatable)
Types: ${FIELD_TYPES.join(', ')}.
Rules, comma-separated: required, nullable, unique, index, max:N, min:N, gte:N, lte:N, gt:N, lt:N, foreign:table.column, default:value.
For strings max/min are lengths; for numbers gte/lte/gt/lt are bounds. Never combine required and nullable.
A relation is an integer column ending in _id with foreign:<table>.id, e.g. post_id:integer:required,foreign:posts.id.
Tables are the plural snake_case of the model name (Category -> categories). Every project has a users table.
Do not declare id, created_at, updated_at or deleted_at: every model has them (soft deletes built in).

## Conventions
- Model names are singular PascalCase (Post, BlogPost); routes become /api/<plural-kebab>.
- Create parents before the children that refer to them.
- Use -m on make:resource to write the migration, and -p to put routes behind a bearer token when the request speaks of users, accounts or protection.
- Request bodies are JSON; database access is async; queries leave soft-deleted rows out.
- To add fields to an existing resource, run make:resource with ALL its current fields plus the new ones: a field left out is dropped.

## This project
${existing.length === 0 ? 'No resources yet (only users).' : existing.map(([className, resource]) => `- ${className} (table ${resource.table}): ${resource.fields.join(' ')}`).join('\n')}
`;
}
