// The field types, one descriptor each (descriptor.ts says what one holds). A new type is a file
// beside these and a line here; its name is the key, in the order the wizard and messages list them.
import { bigint } from './bigint.js';
import { boolean } from './boolean.js';
import { color } from './color.js';
import { date } from './date.js';
import { datetime } from './datetime.js';
import { decimal, money, percent } from './decimal.js';
import type { FieldTypeDescriptor } from './descriptor.js';
import { email } from './email.js';
import { file, image } from './file.js';
import { float } from './float.js';
import { integer } from './integer.js';
import { ip } from './ip.js';
import { json } from './json.js';
import { phone } from './phone.js';
import { slug } from './slug.js';
import { string } from './string.js';
import { text } from './text.js';
import { time } from './time.js';
import { url } from './url.js';
import { uuid } from './uuid.js';

export type * from './descriptor.js';
// What fields/fake.ts and openapi/document.ts take from the types (and an ejected copy of either, through the package).
export { allowedRange } from './fake-support.js';
export { decimalPattern, lowerBound } from './decimal.js';

/** Every field type's descriptor, by name. */
export const TYPES = {
  string,
  text,
  integer,
  bigint,
  float,
  decimal,
  money,
  percent,
  boolean,
  datetime,
  date,
  time,
  email,
  url,
  uuid,
  json,
  phone,
  slug,
  ip,
  color,
  file,
  image,
} as const satisfies Record<string, FieldTypeDescriptor>;

export type FieldType = keyof typeof TYPES;

/** The field types' names, in the order above. */
export const FIELD_TYPES = Object.freeze(Object.keys(TYPES)) as readonly FieldType[];
