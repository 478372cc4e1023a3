// All naming in one place: project names, and the case/plural conventions of generated code.
import pluralize from 'pluralize';

function words(value: string): string[] {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** @example pascalCase('blog_post') // 'BlogPost' */
export function pascalCase(value: string): string {
  return words(value)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** @example camelCase('BlogPost') // 'blogPost' */
export function camelCase(value: string): string {
  const pascal = pascalCase(value);
  return pascal.length > 0 ? pascal[0]!.toLowerCase() + pascal.slice(1) : pascal;
}

/** @example snakeCase('BlogPost') // 'blog_post' */
export function snakeCase(value: string): string {
  return words(value).join('_');
}

/** @example kebabCase('BlogPost') // 'blog-post' */
export function kebabCase(value: string): string {
  return words(value).join('-');
}

/** Plural of the last word only. @example pluralName('BlogCategory') // 'BlogCategories' */
export function pluralName(value: string): string {
  const parts = words(value);
  if (parts.length === 0) return value;
  parts[parts.length - 1] = pluralize.plural(parts[parts.length - 1]!);
  return pascalCase(parts.join('_'));
}

/** The column of a foreign key to a table's id. @example foreignKeyName('blog_posts') // 'blog_post_id'; foreignKeyName('people') // 'person_id' */
export function foreignKeyName(table: string): string {
  const parts = table.split('_');
  parts[parts.length - 1] = pluralize.singular(parts[parts.length - 1]!);
  return `${parts.join('_')}_id`;
}

/** @example tableName('BlogPost') // 'blog_posts'; tableName('Person') // 'people' */
export function tableName(model: string): string {
  return snakeCase(pluralName(model));
}

/** @example routePath('BlogPost') // '/api/blog-posts' */
export function routePath(model: string): string {
  return `/api/${kebabCase(pluralName(model))}`;
}

const NPM_NAME = /^(?:@[a-z0-9-*~][a-z0-9-*._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * Why a project name cannot be an npm package name, or undefined when it can.
 *
 * @example
 * projectNameProblem('my-api')  // undefined
 * projectNameProblem('My API')  // 'use lowercase letters, digits, "-", "." and "_" (e.g. my-api)'
 */
export function projectNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'the project name is empty';
  if (name.length > 214) return 'the project name is longer than 214 characters';
  if (name.startsWith('.') || name.startsWith('_')) return 'the project name cannot start with "." or "_"';
  if (!NPM_NAME.test(name))
    return `use lowercase letters, digits, "-", "." and "_" (e.g. ${kebabCase(name) || 'my-api'})`;
  if (['node_modules', 'favicon.ico'].includes(name)) return `"${name}" is reserved by npm`;
  return undefined;
}

/** A name suggested from a folder name. @example suggestProjectName('My API') // 'my-api' */
export function suggestProjectName(folder: string): string {
  return kebabCase(folder) || 'my-api';
}
