// Relations between models: what `?include=` loads (ResourceController) and BaseService.include
// reads, one query per relation for a whole page of records, and the links a belongsToMany keeps
// in its pivot table (`tag_ids` in a body).
import type { BaseRecord, Model } from './base-model.js';

/**
 * Records a record can include. `belongsTo` (the default): the one record whose `column` this
 * record's `field` holds (a foreign key here). `hasMany`: the records whose `column` holds this
 * record's `field` (a foreign key there, to this record's id), oldest first. `belongsToMany`: the
 * records linked to this one through a pivot table, oldest first: `pivot.key` holds this record's
 * `field`, `pivot.relatedKey` the other's `column`.
 *
 * @example
 * { author: { field: 'user_id', column: 'id', model: User } }                     // belongsTo
 * { comments: { kind: 'hasMany', field: 'id', column: 'post_id', model: Comment } } // hasMany
 * { tags: { kind: 'belongsToMany', field: 'id', column: 'id', model: Tag,
 *           pivot: { table: 'post_tag', key: 'post_id', relatedKey: 'tag_id' } } }  // belongsToMany
 */
export interface Relation {
  kind?: 'belongsTo' | 'hasMany' | 'belongsToMany';
  field: string;
  column: string;
  model: Model<BaseRecord>;
  /** belongsToMany: the pivot table and its two keys. */
  pivot?: PivotTable;
}

export interface PivotTable {
  table: string;
  /** The column holding this record's key. */
  key: string;
  /** The column holding the related record's key. */
  relatedKey: string;
}

/** One record's included records by relation name: a record or null (belongsTo), a list (hasMany, belongsToMany). */
export type Included = Record<string, BaseRecord | BaseRecord[] | null>;

/** Whether a relation gives a list of records. */
export function isToMany(relation: Relation): boolean {
  return relation.kind === 'hasMany' || relation.kind === 'belongsToMany';
}

/** The ids a body sets a belongsToMany by: `tag_ids` for a pivot whose related key is `tag_id`. */
export function linkField(relation: Relation): string {
  return `${relation.pivot!.relatedKey.replace(/_id$/, '')}_ids`;
}

/** The most ids a body's list (`tag_ids`) takes. */
export const MAX_LINKS = 1000;

/** The records a write links through belongsToMany relations, by body field (`tag_ids`): exactly these ids. */
export type Links = Record<string, { relation: Relation; ids: readonly number[] }>;
