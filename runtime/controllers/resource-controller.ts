// The CRUD handlers every generated resource uses: list (paginated, sorted, searched, filtered,
// trashed), show, create, replace, update, soft delete, restore and force delete, in the envelopes.
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { dialectOf } from '../database/dialects.js';
import { parseListQuery } from '../fields/query.js';
import type { FieldDefinition } from '../fields/spec.js';
import { resourceBody, type BodyMode, type ResourceBody } from '../fields/validation.js';
import type { BaseRecord, Model } from '../models/base-model.js';
import type { BaseService } from '../services/base-service.js';
import { NotFoundException, ValidationException } from '../utils/exceptions.js';
import { sendPaginated, sendSuccess } from '../utils/responses.js';

export interface ResourceControllerOptions<T extends BaseRecord> {
  db: Knex;
  model: Model<T>;
  fields: readonly FieldDefinition[];
  service: BaseService<T>;
}

/**
 * Subclass it per resource to change one action, or to serialise records differently.
 *
 * @example
 * export class PostController extends ResourceController<PostRecord> {}
 * router.get('/', controller.index);
 */
export class ResourceController<T extends BaseRecord> {
  protected readonly db: Knex;
  protected readonly model: Model<T>;
  protected readonly fields: readonly FieldDefinition[];
  protected readonly service: BaseService<T>;
  protected readonly body: ResourceBody;

  constructor(options: ResourceControllerOptions<T>) {
    ({ db: this.db, model: this.model, fields: this.fields, service: this.service } = options);
    this.body = resourceBody(this.fields);
  }

  /** A record as clients see it. */
  protected serialize(record: T): unknown {
    return this.model.serialize(record);
  }

  /** The `:id` parameter; anything that is not a positive integer cannot name a record (404). */
  protected id(ctx: Context): number {
    const raw = String(ctx.params.id ?? '');
    if (!/^[1-9]\d{0,14}$/.test(raw)) throw new NotFoundException(`${this.model.name} not found`);
    return Number(raw);
  }

  /** Attributes from the body, with referenced records checked to exist (422 naming the field). */
  protected async attributes(ctx: Context, mode: BodyMode): Promise<Record<string, unknown>> {
    const attributes = await this.body.parse(ctx.request.body, mode);
    const errors: Record<string, string[]> = {};
    for (const field of this.fields) {
      const value = attributes[field.name];
      if (!field.rules.foreign || value === null || value === undefined) continue;
      const { table, column } = field.rules.foreign;
      const found = await this.db(table).where(column, value as Knex.Value).first(column);
      if (!found) errors[field.name] = [`refers to a ${table} record that does not exist (${column} = ${String(value)})`];
    }
    if (Object.keys(errors).length > 0) throw new ValidationException(errors, 'A referenced record does not exist');
    return attributes;
  }

  index = async (ctx: Context) => {
    const dialect = dialectOf(this.db);
    const list = parseListQuery(ctx.query, this.fields, {
      table: this.model.table,
      encode: (field, value) => this.model.toRow({ [field]: value }, dialect)[field],
    });
    const page = await this.service.list(list, list.trashed);
    sendPaginated(ctx, page.items.map((record) => this.serialize(record)), page.pagination);
  };

  show = async (ctx: Context) => {
    sendSuccess(ctx, this.serialize(await this.service.get(this.id(ctx))));
  };

  store = async (ctx: Context) => {
    const record = await this.service.create(await this.attributes(ctx, 'create'));
    sendSuccess(ctx, this.serialize(record), { status: 201, message: `${this.model.name} created` });
  };

  /** PUT: the whole record; fields left out return to their default (or null). */
  replace = async (ctx: Context) => {
    const id = this.id(ctx);
    await this.service.get(id);
    sendSuccess(ctx, this.serialize(await this.service.update(id, await this.attributes(ctx, 'replace'))), { message: `${this.model.name} updated` });
  };

  /** PATCH: only the fields sent. */
  update = async (ctx: Context) => {
    const id = this.id(ctx);
    await this.service.get(id);
    sendSuccess(ctx, this.serialize(await this.service.update(id, await this.attributes(ctx, 'patch'))), { message: `${this.model.name} updated` });
  };

  /** Soft delete: the record leaves every default query; `POST /:id/restore` brings it back. */
  destroy = async (ctx: Context) => {
    sendSuccess(ctx, this.serialize(await this.service.delete(this.id(ctx))), { message: `${this.model.name} deleted` });
  };

  restore = async (ctx: Context) => {
    sendSuccess(ctx, this.serialize(await this.service.restore(this.id(ctx))), { message: `${this.model.name} restored` });
  };

  /** Removes the row for good. */
  forceDestroy = async (ctx: Context) => {
    await this.service.forceDelete(this.id(ctx));
    sendSuccess(ctx, null, { message: `${this.model.name} permanently deleted` });
  };
}
