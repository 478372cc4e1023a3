// Relations between models: what `?include=` loads (ResourceController) and BaseService.include
// reads, one query per relation for a whole page of records.
import type { BaseRecord, Model } from './base-model.js';

/**
 * Records a record can include. `belongsTo` (the default): the one record whose `column` this
 * record's `field` holds (a foreign key here). `hasMany`: the records whose `column` holds this
 * record's `field` (a foreign key there, to this record's id), oldest first.
 *
 * @example
 * { author: { field: 'user_id', column: 'id', model: User } }                     // belongsTo
 * { comments: { kind: 'hasMany', field: 'id', column: 'post_id', model: Comment } } // hasMany
 */
export interface Relation {
  kind?: 'belongsTo' | 'hasMany';
  field: string;
  column: string;
  model: Model<BaseRecord>;
}

/** One record's included records by relation name: a record or null (belongsTo), a list (hasMany). */
export type Included = Record<string, BaseRecord | BaseRecord[] | null>;
