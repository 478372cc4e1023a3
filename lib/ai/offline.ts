// The planner `fastpy ai` uses with no provider configured: it finds the entities the prose names
// ("a blog with posts, categories and comments"), gives each its usual fields, relates them (a
// comment belongs to a post, a post to a category) and orders the steps so parents come first.
import pluralize from 'pluralize';
import { pascalCase, snakeCase } from '../naming.js';
import { resourceNames } from '../resource.js';
import type { KnownResource, PlanStep } from './plan.js';

interface Entity {
  /** The usual fields, as specs. */
  fields: string[];
  /** What it usually belongs to, most likely first (singular names). */
  parents?: string[];
  /** Belongs to the signed-in user when the prose speaks of users or accounts. */
  owned?: boolean;
}

const TITLED = [
  'title:string:required,max:200',
  'slug:slug:required,unique',
  'body:text:required',
  'published_at:datetime:nullable',
];
const NAMED = ['name:string:required,max:150', 'description:text:nullable'];
const PERSON = ['name:string:required,max:150', 'email:email:required,unique', 'phone:phone:nullable'];

/** Entities the planner knows, by singular name. Anything else gets a name and a description. */
export const KNOWN_ENTITIES: Record<string, Entity> = {
  post: { fields: TITLED, parents: ['category', 'author'], owned: true },
  article: { fields: TITLED, parents: ['category', 'author'], owned: true },
  page: { fields: ['title:string:required,max:200', 'slug:slug:required,unique', 'body:text:required'] },
  category: { fields: ['name:string:required,unique,max:100', 'description:text:nullable'] },
  tag: { fields: ['name:string:required,unique,max:50'] },
  comment: {
    fields: ['body:text:required,max:2000'],
    parents: ['post', 'article', 'product', 'task', 'ticket', 'photo', 'video', 'lesson'],
    owned: true,
  },
  author: { fields: ['name:string:required,max:150', 'email:email:required,unique', 'bio:text:nullable'] },
  product: {
    fields: [
      'name:string:required,max:200',
      'sku:string:required,unique,max:64',
      'price:money:required,gte:0',
      'stock:integer:required,gte:0',
      'description:text:nullable',
    ],
    parents: ['category', 'brand'],
  },
  brand: { fields: ['name:string:required,unique,max:100', 'website:url:nullable'] },
  customer: { fields: PERSON },
  order: {
    fields: [
      'number:string:required,unique,max:32',
      'status:string:required,max:20',
      'total:money:required,gte:0',
      'placed_at:datetime:nullable',
    ],
    parents: ['customer'],
    owned: true,
  },
  invoice: {
    fields: [
      'number:string:required,unique,max:32',
      'amount:money:required,gte:0',
      'due_on:date:required',
      'paid_at:datetime:nullable',
    ],
    parents: ['customer', 'order'],
  },
  payment: {
    fields: ['amount:money:required,gt:0', 'method:string:required,max:30', 'paid_at:datetime:required'],
    parents: ['invoice', 'order'],
  },
  review: {
    fields: ['rating:integer:required,gte:1,lte:5', 'body:text:nullable,max:2000'],
    parents: ['product', 'book', 'course'],
    owned: true,
  },
  project: { fields: [...NAMED, 'due_on:date:nullable'], owned: true },
  task: {
    fields: ['title:string:required,max:200', 'notes:text:nullable', 'done:boolean:required', 'due_on:date:nullable'],
    parents: ['project'],
    owned: true,
  },
  todo: { fields: ['title:string:required,max:200', 'done:boolean:required', 'due_on:date:nullable'], owned: true },
  ticket: {
    fields: [
      'subject:string:required,max:200',
      'body:text:required',
      'status:string:required,max:20',
      'priority:integer:required,gte:1,lte:5',
    ],
    parents: ['customer'],
    owned: true,
  },
  note: { fields: ['title:string:required,max:200', 'body:text:nullable'], owned: true },
  company: { fields: ['name:string:required,max:150', 'website:url:nullable', 'phone:phone:nullable'] },
  contact: { fields: [...PERSON, 'notes:text:nullable'], parents: ['company'] },
  employee: { fields: [...PERSON, 'hired_on:date:nullable'], parents: ['department', 'company'] },
  department: { fields: NAMED, parents: ['company'] },
  book: {
    fields: [
      'title:string:required,max:200',
      'isbn:string:required,unique,max:17',
      'published_on:date:nullable',
      'pages:integer:nullable,gte:1',
    ],
    parents: ['author'],
  },
  course: { fields: ['title:string:required,max:200', 'description:text:nullable', 'price:money:nullable,gte:0'] },
  lesson: {
    fields: ['title:string:required,max:200', 'body:text:required', 'position:integer:required,gte:1'],
    parents: ['course'],
  },
  student: { fields: PERSON },
  photo: { fields: ['title:string:nullable,max:200', 'image:image:nullable'], parents: ['album'], owned: true },
  album: { fields: ['title:string:required,max:200', 'description:text:nullable'], owned: true },
  video: {
    fields: ['title:string:required,max:200', 'url:url:required', 'duration_seconds:integer:nullable,gte:0'],
    owned: true,
  },
  message: {
    fields: ['body:text:required,max:5000', 'read_at:datetime:nullable'],
    parents: ['conversation'],
    owned: true,
  },
  conversation: { fields: ['subject:string:nullable,max:200'] },
  booking: {
    fields: ['starts_at:datetime:required', 'ends_at:datetime:required', 'status:string:required,max:20'],
    parents: ['room', 'customer'],
    owned: true,
  },
  room: { fields: ['name:string:required,max:100', 'capacity:integer:required,gte:1'] },
  recipe: {
    fields: ['title:string:required,max:200', 'instructions:text:required', 'minutes:integer:nullable,gte:1'],
    owned: true,
  },
  ingredient: { fields: ['name:string:required,max:100', 'quantity:string:nullable,max:50'], parents: ['recipe'] },
};

/** Words that name the thing being built, not something it stores. */
const CONTAINERS = new Set([
  'app',
  'application',
  'api',
  'apis',
  'backend',
  'blog',
  'crm',
  'cms',
  'erp',
  'platform',
  'project',
  'service',
  'services',
  'site',
  'website',
  'system',
  'shop',
  'store',
  'tool',
  'dashboard',
  'portal',
  'forum',
  'marketplace',
  'resource',
  'resources',
  'endpoint',
  'endpoints',
  'crud',
  'table',
  'tables',
  'model',
  'models',
  'database',
  'field',
  'fields',
  'data',
  'things',
  'stuff',
  'items',
  'lot',
  'lots',
  'feature',
  'features',
  'route',
  'routes',
]);
/** Built in: every project has users. */
const USERS = new Set(['user', 'users', 'account', 'accounts', 'member', 'members']);
const USER_WORDS = /\b(users?|accounts?|members?|owners?|sign(?:ed)?[ -]?in|log(?:ged)?[ -]?in|auth|authenticat\w*)\b/i;
const PROTECT_WORDS =
  /\b(protect\w*|private|secure\w*|auth|authenticat\w*|sign(?:ed)?[ -]?in|log(?:ged)?[ -]?in|only (?:for )?(?:users|members))\b/i;
/** Words after which an unknown plural noun is taken for an entity: "track invoices and shipments". */
const LIST_OPENERS = new Set([
  ',',
  'with',
  'of',
  'manage',
  'track',
  'and',
  'for',
  'store',
  'add',
  'has',
  'have',
  'plus',
]);
const STOP = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'with',
  'of',
  'for',
  'to',
  'on',
  'in',
  'that',
  'which',
  'their',
  'its',
  'has',
  'have',
  'having',
  'each',
  'every',
  'some',
  'many',
  'my',
  'our',
  'new',
  'simple',
  'basic',
  'small',
  'full',
  'create',
  'make',
  'build',
  'add',
  'generate',
  'scaffold',
  'manage',
  'managing',
  'track',
  'tracking',
  'list',
  'can',
  'be',
  'is',
  'are',
  'should',
  'where',
  'who',
  'me',
  'please',
  'also',
  'plus',
  'them',
  'it',
  'they',
  'by',
  'from',
  'as',
  'let',
  'lets',
  'this',
  'these',
  'those',
  'was',
  'were',
  'does',
  'uses',
  'needs',
  'wants',
  'details',
  'status',
  'news',
  'settings',
  'analytics',
]);

/** Words between a list opener and its noun: "manage their vehicles". */
const FILLERS = new Set(['the', 'their', 'my', 'our', 'your', 'its', 'all', 'some', 'many', 'own', 'new', 'a', 'an']);

/** The known entity a word names (singular or plural), if any. */
function knownSingular(word: string): string | undefined {
  const single = pluralize.singular(word);
  return KNOWN_ENTITIES[word] ? word : KNOWN_ENTITIES[single] ? single : undefined;
}

/** The entities a sentence names, in order: known ones anywhere, unknown plural nouns in lists. */
export function entitiesIn(prose: string): string[] {
  const tokens = prose.toLowerCase().match(/[a-z][a-z0-9_]*|,/g) ?? [];
  const found: string[] = [];
  const add = (name: string) => {
    if (!found.includes(name)) found.push(name);
  };
  tokens.forEach((word, index) => {
    if (word === ',' || CONTAINERS.has(word) || STOP.has(word) || USERS.has(word)) return;
    const known = knownSingular(word);
    if (known) return add(known);
    const unknownPlural = word.length > 3 && pluralize.isPlural(word) && pluralize.singular(word) !== word;
    let before = index - 1;
    while (FILLERS.has(tokens[before] ?? '')) before -= 1;
    if (unknownPlural && LIST_OPENERS.has(tokens[before] ?? '')) add(snakeCase(pluralize.singular(word)));
  });
  return found;
}

/** A relation the prose states: "comments on posts", "tasks belong to projects", "posts have many comments". */
function statedParents(prose: string, names: readonly string[]): Map<string, string> {
  const text = prose.toLowerCase();
  const parents = new Map<string, string>();
  const forms = (name: string) => `(?:${name}|${pluralize.plural(name)})`;
  for (const child of names) {
    for (const parent of names) {
      if (child === parent) continue;
      const patterns = [
        new RegExp(`\\b${forms(child)}\\b (?:on|to|for|of|under|in) (?:the |a |an |each |every )?${forms(parent)}\\b`),
        new RegExp(`\\b${forms(child)}\\b (?:that |which )?belongs? to (?:the |a |an )?${forms(parent)}\\b`),
        new RegExp(
          `\\b${forms(parent)}\\b (?:that |which )?(?:has|have|with) (?:many |several |multiple |their |its )?${forms(child)}\\b`,
        ),
      ];
      if (!parents.has(child) && patterns.some((pattern) => pattern.test(text))) parents.set(child, parent);
    }
  }
  return parents;
}

export interface OfflinePlan {
  steps: PlanStep[];
  /** What the planner could not do, for the user. */
  notes: string[];
}

/**
 * Plans from prose without a model.
 *
 * @example
 * planOffline('Create a blog with posts, categories and comments', {}).steps.map((s) => s.command)
 * // ['fastpy make:resource Category …', 'fastpy make:resource Post … -f category_id:integer:required,foreign:categories.id …', 'fastpy make:resource Comment …', 'fastpy db:migrate']
 */
export function planOffline(prose: string, project: Record<string, KnownResource>): OfflinePlan {
  const notes: string[] = [];
  const mentioned = entitiesIn(prose);
  const existingTables = new Map(Object.entries(project).map(([className, resource]) => [resource.table, className]));
  const exists = (name: string) => existingTables.has(resourceNames(name).table);
  const stated = statedParents(prose, [...mentioned, ...Object.keys(project).map((className) => snakeCase(className))]);
  const toCreate = mentioned.filter((name) => !exists(name));
  for (const name of mentioned.filter(exists)) notes.push(`${pascalCase(name)} exists already: left as it is`);
  if (toCreate.length === 0) {
    notes.push(
      mentioned.length === 0
        ? 'no entities found in the request; name them, e.g. "a shop with products, orders and customers"'
        : 'nothing new to create',
    );
    return { steps: [], notes };
  }

  const available = new Set([...toCreate, ...Object.keys(project).map((className) => snakeCase(className))]);
  const parentsOf = new Map<string, string[]>();
  for (const name of toCreate) {
    const parents: string[] = [];
    const explicit = stated.get(name);
    if (explicit) parents.push(explicit);
    else {
      // The usual parents among the entities in play; a comment belongs to one thing, not to every candidate.
      const usual = (KNOWN_ENTITIES[name]?.parents ?? []).filter((parent) => available.has(parent));
      if (name === 'comment' || name === 'review' || name === 'message') parents.push(...usual.slice(0, 1));
      else parents.push(...usual);
    }
    parentsOf.set(name, parents);
  }

  // Parents first (depth-first on the relations; a cycle is broken where it closes).
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.includes(name) || !toCreate.includes(name)) return;
    if (visiting.has(name)) return;
    visiting.add(name);
    for (const parent of parentsOf.get(name) ?? []) visit(parent);
    ordered.push(name);
  };
  for (const name of toCreate) visit(name);

  const withUsers = USER_WORDS.test(prose);
  const protect = PROTECT_WORDS.test(prose) ? ' -p' : '';
  const steps: PlanStep[] = ordered.map((name) => {
    const entity = KNOWN_ENTITIES[name];
    const { className, table } = resourceNames(name);
    const fields = [...(entity?.fields ?? NAMED)];
    const relations: string[] = [];
    for (const parent of parentsOf.get(name) ?? []) {
      const parentTable = resourceNames(parent).table;
      fields.push(`${parent}_id:integer:required,foreign:${parentTable}.id`);
      relations.push(`belongs to ${parentTable}`);
    }
    if (withUsers && entity?.owned) {
      fields.push('user_id:integer:required,foreign:users.id');
      relations.push('belongs to a user');
    }
    const names = fields.map((spec) => spec.split(':')[0]);
    const reason = `${table}: ${names.join(', ')}${relations.length ? ` (${relations.join(', ')})` : ''}${entity ? '' : ' — an entity the offline planner does not know: review its fields'}`;
    return {
      command: `fastpy make:resource ${className} ${fields.map((spec) => `-f ${spec}`).join(' ')} -m${protect}`,
      reason,
    };
  });
  steps.push({ command: 'fastpy db:migrate', reason: `create the ${ordered.length === 1 ? 'table' : 'tables'}` });
  return { steps, notes };
}
