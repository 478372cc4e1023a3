// Base service: the business-logic layer between controllers and a repository. Override a method
// to add rules (authorisation, side effects, events) around the data access it delegates.
import type { BaseRecord } from '../models/base-model.js';
import type { Included, Links, Relation } from '../models/relation.js';
import type {
  Actor,
  Attributes,
  BaseRepository,
  ListOptions,
  Page,
  TrashedScope,
} from '../repositories/base-repository.js';

/**
 * @example
 * class PostService extends BaseService<PostRecord> {
 *   override async create(data: Attributes) {
 *     const post = await super.create(data);
 *     await Event.dispatch('post.created', { post });
 *     return post;
 *   }
 * }
 */
export class BaseService<TRecord extends BaseRecord = BaseRecord> {
  constructor(protected readonly repository: BaseRepository<TRecord>) {}

  /**
   * This service working for `actor` (the request's user, or null without one): on an owned model
   * only their records, an admin's all (see BaseRepository.actingFor). The controller calls every
   * method through it; code calling the service itself sees every record.
   */
  for(actor: Actor | null): this {
    const repository = this.repository.actingFor(actor);
    if (repository === this.repository) return this;
    const view = Object.create(Object.getPrototypeOf(this) as object) as this;
    return Object.assign(view, this, { repository });
  }

  list(options: ListOptions, trashed: TrashedScope = 'without'): Promise<Page<TRecord>> {
    return this.repository.scoped(trashed).paginate(options);
  }

  /** The record, or a 404 when it is missing or soft-deleted. */
  get(id: number): Promise<TRecord> {
    return this.repository.findOrFail(id);
  }

  /**
   * A new record; a foreign key naming a missing (or soft-deleted) record is a 422 naming the field.
   * `links` (`{ tag_ids: { relation, ids } }`) sets its belongsToMany records, in one transaction
   * with the insert (a 422 naming the ids that do not exist).
   */
  async create(data: Attributes, links: Links = {}): Promise<TRecord> {
    await this.repository.checkReferences(data);
    if (Object.keys(links).length === 0) return this.repository.create(data);
    return this.repository.transaction(async (repository) => {
      await repository.checkLinks(links);
      const record = await repository.create(data);
      for (const { relation, ids } of Object.values(links)) await repository.sync(record.id, relation, ids);
      return record;
    });
  }

  /**
   * The record changed; a 404 when it is missing, a 422 as `create` for a foreign key. `links` sets
   * exactly those belongsToMany records (a relation not named keeps its links).
   */
  async update(id: number, data: Attributes, links: Links = {}): Promise<TRecord> {
    await this.repository.checkReferences(data);
    if (Object.keys(links).length === 0) return this.repository.update(id, data);
    return this.repository.transaction(async (repository) => {
      await repository.checkLinks(links);
      const record = await repository.update(id, data);
      for (const { relation, ids } of Object.values(links)) await repository.sync(id, relation, ids);
      return record;
    });
  }

  /**
   * Each record's related records for these relations (by name, as `?include=` names them): one
   * query per relation for all the records, all at once.
   */
  async include(records: readonly TRecord[], relations: Readonly<Record<string, Relation>>): Promise<Included[]> {
    const names = Object.keys(relations);
    const loaded = await Promise.all(names.map((name) => this.repository.related(records, relations[name]!)));
    return records.map((_, index) =>
      Object.fromEntries(names.map((name, position) => [name, loaded[position]![index]!])),
    );
  }

  /** Soft delete. */
  delete(id: number): Promise<TRecord> {
    return this.repository.softDelete(id);
  }

  restore(id: number): Promise<TRecord> {
    return this.repository.restore(id);
  }

  forceDelete(id: number): Promise<void> {
    return this.repository.forceDelete(id);
  }
}
