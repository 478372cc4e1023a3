// Base service: the business-logic layer between controllers and a repository. Override a method
// to add rules (authorisation, side effects, events) around the data access it delegates.
import type { BaseRecord } from '../models/base-model.js';
import type { Attributes, BaseRepository, ListOptions, Page, TrashedScope } from '../repositories/base-repository.js';

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

  list(options: ListOptions, trashed: TrashedScope = 'without'): Promise<Page<TRecord>> {
    return this.repository.scoped(trashed).paginate(options);
  }

  /** The record, or a 404 when it is missing or soft-deleted. */
  get(id: number): Promise<TRecord> {
    return this.repository.findOrFail(id);
  }

  create(data: Attributes): Promise<TRecord> {
    return this.repository.create(data);
  }

  update(id: number, data: Attributes): Promise<TRecord> {
    return this.repository.update(id, data);
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
