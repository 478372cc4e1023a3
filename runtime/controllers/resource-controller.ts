// The CRUD handlers every generated resource uses: list (paginated, sorted, searched, filtered,
// trashed), show, create, replace, update, soft delete, restore and force delete, in the envelopes.
import type { Context, Middleware } from 'koa';
import type { AuthService } from '../auth/auth-service.js';
import { authenticateRequest } from '../auth/require-auth.js';
import type { Knex } from 'knex';
import { dialectOf } from '../database/dialects.js';
import { listQueryParser, type ListQuery } from '../fields/query.js';
import { withOwner, type FieldDefinition } from '../fields/spec.js';
import { documentHandler, type ResourceMeta } from '../openapi/document.js';
import { receiveFile, storeUpload, type UploadOptions } from '../fields/uploads.js';
import { resourceBody, type BodyMode, type ResourceBody } from '../fields/validation.js';
import type { BaseRecord, Model } from '../models/base-model.js';
import type { UserRecord } from '../models/user.js';
import { isToMany, linkField, type Links, type Relation } from '../models/relation.js';
import { BaseRepository } from '../repositories/base-repository.js';
import type { BaseService } from '../services/base-service.js';
import { NotFoundException, ValidationException } from '../utils/exceptions.js';
import { sendPaginated, sendSuccess } from '../utils/responses.js';

export type { Relation } from '../models/relation.js';

export interface ResourceControllerOptions<T extends BaseRecord> {
  db: Knex;
  model: Model<T>;
  fields: readonly FieldDefinition[];
  service: BaseService<T>;
  /** Related records clients may ask for with `?include=name,…`, by name. */
  relations?: Record<string, Relation>;
  /** Where file and image fields store their uploads. */
  uploads?: UploadOptions;
  /** Checks the bearer token of a request that includes a protected resource's records (see Model.access). */
  auth?: AuthService;
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
  protected readonly relations: Record<string, Relation>;
  /** The belongsToMany relations, by the body field that sets their links (`tag_ids`). */
  protected readonly links: Record<string, Relation>;
  protected readonly uploads?: UploadOptions;
  protected readonly auth?: AuthService;
  /** Reads `?page=…&sort=…&filter[…]=…` against what this resource's fields allow. */
  protected readonly listQuery: (query: Context['query']) => ListQuery;

  constructor(options: ResourceControllerOptions<T>) {
    ({
      db: this.db,
      model: this.model,
      fields: this.fields,
      service: this.service,
      uploads: this.uploads,
      auth: this.auth,
    } = options);
    this.relations = options.relations ?? {};
    // A belongsToMany is set by a list of ids in bodies (`tag_ids`) and filtered by (`filter[tags]=1,2`).
    const linked = Object.entries(this.relations).filter(([, relation]) => relation.kind === 'belongsToMany');
    this.links = Object.fromEntries(linked.map(([, relation]) => [linkField(relation), relation]));
    this.body = resourceBody(this.fields, {
      serverSet: this.model.owner === undefined ? {} : { [this.model.owner]: "set from the signed-in user's token" },
      links: Object.keys(this.links),
    });
    const dialect = dialectOf(this.db);
    const records = new BaseRepository(this.db, this.model);
    // Lists filter and sort by the owner too: an admin's `filter[user_id]=7`; a user's narrows their own.
    this.listQuery = listQueryParser(withOwner(this.fields, this.model.owner), {
      table: this.model.table,
      encode: (field, value) => this.model.toRow({ [field]: value }, dialect)[field],
      linked: Object.fromEntries(
        linked.map(([name, relation]) => [name, (query, ids) => records.whereLinked(query, relation, ids)]),
      ),
    });
    // The OpenAPI document describes these handlers from the same fields.
    const actions = {
      index: this.index,
      show: this.show,
      store: this.store,
      replace: this.replace,
      update: this.update,
      destroy: this.destroy,
      restore: this.restore,
      forceDestroy: this.forceDestroy,
    } as const;
    const bearerRelations = Object.keys(this.relations).filter(
      (name) => this.relations[name]!.model.access === 'bearer',
    );
    if (bearerRelations.length > 0 && !this.auth) {
      throw new TypeError(
        `${this.model.name}Controller: including ${bearerRelations.join(', ')} needs a bearer token, so the controller needs auth (pass { auth } from the app's services)`,
      );
    }
    for (const [action, handler] of Object.entries(actions))
      documentHandler(handler, {
        name: this.model.name,
        fields: this.fields,
        action: action as keyof typeof actions,
        relations: this.documentedRelations(),
        owner: this.model.owner,
      });
  }

  /** What `?include=` offers, as the OpenAPI document describes it: each relation's model and whether it needs the token. */
  private documentedRelations(): NonNullable<ResourceMeta['relations']> {
    return Object.fromEntries(
      Object.entries(this.relations).map(([name, relation]) => [
        name,
        {
          model: relation.model.name,
          bearer: relation.model.access === 'bearer',
          many: isToMany(relation),
          ...(relation.kind === 'belongsToMany' && { link: linkField(relation) }),
        },
      ]),
    );
  }

  /**
   * The service working for the request's user (BaseService.for): on an owned model only their
   * records (an admin's: all), none without a user.
   */
  protected serviceFor(ctx: Context): BaseService<T> {
    return this.service.for((ctx.state.user as UserRecord | undefined) ?? null);
  }

  /** A record as clients see it. */
  protected serialize(record: T): unknown {
    return this.model.serialize(record);
  }

  /** The relations named by `?include=` (a 422 naming the parameter for any other). */
  protected includes(ctx: Context): string[] {
    const raw = ctx.query.include;
    if (raw === undefined || raw === '') return [];
    const names = (Array.isArray(raw) ? raw.join(',') : raw)
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !(name in this.relations));
    if (unknown.length > 0) {
      const allowed = Object.keys(this.relations);
      throw new ValidationException('Invalid query parameters', {
        errors: {
          include: [
            `cannot include ${unknown.map((name) => `"${name}"`).join(', ')}; ${allowed.length > 0 ? `includable: ${allowed.join(', ')}` : 'this resource has no relations'}`,
          ],
        },
      });
    }
    return [...new Set(names)];
  }

  /**
   * A resource's records are only returned where its own routes would return them: including one
   * whose routes need a token (Model.access `bearer`) needs the token here too, or the whole
   * request is a 401.
   */
  protected async authorizeIncludes(ctx: Context, includes: readonly string[]): Promise<void> {
    await this.requireTokenFor(
      ctx,
      'Including',
      includes.map((name) => [name, this.relations[name]!]),
    );
  }

  /** A 401 unless the request is signed in, when any of these relations' records need the token (Model.access `bearer`). */
  private async requireTokenFor(
    ctx: Context,
    doing: 'Including' | 'Setting',
    relations: ReadonlyArray<readonly [string, Relation]>,
  ): Promise<void> {
    const guarded = relations.filter(([, relation]) => relation.model.access === 'bearer').map(([name]) => name);
    if (guarded.length === 0 || ctx.state.user) return;
    await authenticateRequest(this.auth!, ctx, `${doing} ${guarded.join(', ')} needs a bearer token`);
  }

  /**
   * Serialised records with the included related records (BaseService.include: one query per
   * relation for all the records). Soft-deleted related records are left out: a belongsTo is then
   * null, a hasMany lists the others (an empty list when none is left).
   */
  protected async present(ctx: Context, records: T[], includes: string[]): Promise<unknown[]> {
    const relations = Object.fromEntries(includes.map((name) => [name, this.relations[name]!]));
    const included = await this.serviceFor(ctx).include(records, relations);
    return records.map((record, index) => {
      const item = this.serialize(record) as Record<string, unknown>;
      // In the order the request named them.
      for (const name of includes) {
        const { model } = relations[name]!;
        const value = included[index]![name];
        item[name] = Array.isArray(value)
          ? value.map((related) => model.serialize(related))
          : value && model.serialize(value);
      }
      return item;
    });
  }

  /** The `:id` parameter; anything that is not a positive integer cannot name a record (404 naming the model). */
  protected id(ctx: Context, model: string = this.model.name): number {
    const raw = String((ctx.params as Record<string, string | undefined>).id ?? '');
    if (!/^[1-9]\d{0,14}$/.test(raw)) throw new NotFoundException(`${model} not found`);
    return Number(raw);
  }

  /**
   * The body, validated for `mode` (a 422 naming each field): the attributes to write, and the
   * belongsToMany links it sets (`tag_ids`). The service checks references and links.
   */
  protected async input(
    ctx: Context,
    mode: BodyMode,
    body: unknown = ctx.request.body,
  ): Promise<{ attributes: Record<string, unknown>; links: Links }> {
    const attributes = await this.body.parse(body, mode);
    const links: Links = {};
    for (const [field, relation] of Object.entries(this.links)) {
      if (!(field in attributes)) continue;
      const ids = attributes[field] as number[];
      delete attributes[field];
      // Links to records only a signed-in user may reach: sent, they need the token (below); left
      // out of a create or a replace by a client without one, they are left as they are.
      const sent = Object.hasOwn(body as object, field);
      if (relation.model.access === 'bearer' && !sent && !ctx.state.user) continue;
      links[field] = { relation, ids };
    }
    await this.authorizeLinks(ctx, links);
    return { attributes, links };
  }

  /**
   * Setting links to records of a resource whose routes need a token (Model.access `bearer`) needs
   * the token here too, as including them does: the links are checked and set as that user may
   * reach them (of an owned resource, only their own records).
   */
  protected async authorizeLinks(ctx: Context, links: Links): Promise<void> {
    await this.requireTokenFor(
      ctx,
      'Setting',
      Object.entries(links).map(([field, { relation }]) => [field, relation]),
    );
  }

  index = async (ctx: Context) => {
    const list = this.listQuery(ctx.query);
    const includes = this.includes(ctx);
    if (includes.length > 0) await this.authorizeIncludes(ctx, includes);
    const page = await this.serviceFor(ctx).list(list, list.trashed);
    sendPaginated(ctx, await this.present(ctx, page.items, includes), page.pagination);
  };

  show = async (ctx: Context) => {
    const includes = this.includes(ctx);
    if (includes.length > 0) await this.authorizeIncludes(ctx, includes);
    const record = await this.serviceFor(ctx).get(this.id(ctx));
    sendSuccess(ctx, includes.length > 0 ? (await this.present(ctx, [record], includes))[0] : this.serialize(record));
  };

  store = async (ctx: Context) => {
    const { attributes, links } = await this.input(ctx, 'create');
    const record = await this.serviceFor(ctx).create(attributes, links);
    sendSuccess(ctx, this.serialize(record), { status: 201, message: `${this.model.name} created` });
  };

  /** PUT: the whole record; fields left out return to their default (or null). */
  replace = async (ctx: Context) => {
    const id = this.id(ctx);
    await this.serviceFor(ctx).get(id);
    const { attributes, links } = await this.input(ctx, 'replace');
    sendSuccess(ctx, this.serialize(await this.serviceFor(ctx).update(id, attributes, links)), {
      message: `${this.model.name} updated`,
    });
  };

  /** PATCH: only the fields sent. */
  update = async (ctx: Context) => {
    const id = this.id(ctx);
    await this.serviceFor(ctx).get(id);
    const { attributes, links } = await this.input(ctx, 'patch');
    sendSuccess(ctx, this.serialize(await this.serviceFor(ctx).update(id, attributes, links)), {
      message: `${this.model.name} updated`,
    });
  };

  /** Soft delete: the record leaves every default query; `POST /:id/restore` brings it back. */
  destroy = async (ctx: Context) => {
    sendSuccess(ctx, this.serialize(await this.serviceFor(ctx).delete(this.id(ctx))), {
      message: `${this.model.name} deleted`,
    });
  };

  restore = async (ctx: Context) => {
    sendSuccess(ctx, this.serialize(await this.serviceFor(ctx).restore(this.id(ctx))), {
      message: `${this.model.name} restored`,
    });
  };

  /**
   * `POST /:id/<field>` for a file or image field: the multipart part `file` is stored and its path
   * recorded (the previous upload is deleted). 404 before the body is read when the record is missing.
   */
  upload(fieldName: string): Middleware[] {
    const field = this.fields.find((candidate) => candidate.name === fieldName);
    if (!field || (field.type !== 'file' && field.type !== 'image'))
      throw new TypeError(`upload(): ${this.model.name}.${fieldName} is not a file or image field`);
    const uploads = this.uploads;
    if (!uploads) throw new TypeError(`upload(): ${this.model.name}Controller was created without uploads options`);
    const folder = (id: number) => `uploads/${this.model.table}/${id}`;
    const exists: Middleware = async (ctx, next) => {
      await this.serviceFor(ctx).get(this.id(ctx));
      await next();
    };
    const store: Middleware = async (ctx) => {
      const id = this.id(ctx);
      const before = (await this.serviceFor(ctx).get(id)) as unknown as Record<string, unknown>;
      const stored = await storeUpload(ctx, uploads, {
        folder: folder(id),
        field: field.name,
        image: field.type === 'image',
      });
      let record: T;
      try {
        record = await this.serviceFor(ctx).update(id, { [field.name]: stored.path });
      } catch (error) {
        await uploads.disk.delete(stored.path);
        throw error;
      }
      const previous = before[field.name];
      if (typeof previous === 'string' && previous.startsWith(`${folder(id)}/`))
        await uploads.disk.delete(previous).catch(() => undefined);
      sendSuccess(ctx, this.serialize(record), { message: `${field.name} uploaded` });
    };
    documentHandler(store, {
      name: this.model.name,
      fields: this.fields,
      action: 'upload',
      field: field.name,
      relations: this.documentedRelations(),
      owner: this.model.owner,
    });
    return [exists, receiveFile(uploads), store];
  }

  /**
   * This resource's routes under one record of a parent it belongs to by `column` (a foreign key to
   * the parent's id): `index`, the whole list contract (page, sort, filter, search, trashed,
   * include) over that parent's records only, and `store`, a create with `column` taken from the
   * path (a body naming another parent is a 422). A missing or soft-deleted parent is a 404.
   *
   * @example
   * const comments = new CommentController(services).nested(Post, 'post_id');
   * router.get('posts.comments.index', '/:id/comments', comments.index);
   * router.post('posts.comments.store', '/:id/comments', comments.store);
   */
  nested(parent: Model<BaseRecord>, column: string): { index: Middleware; store: Middleware } {
    const field = this.fields.find((candidate) => candidate.name === column);
    if (!field) throw new TypeError(`nested(): ${this.model.name} has no field ${column}`);
    if (field.rules.foreign && field.rules.foreign.table !== parent.table)
      throw new TypeError(
        `nested(): ${this.model.name}.${column} refers to ${field.rules.foreign.table}, not ${parent.table}`,
      );
    const parents = new BaseRepository(this.db, parent);
    /** The parent's id from the path, once it is known to exist (and not to be soft-deleted). */
    const parentId = async (ctx: Context) => {
      const id = this.id(ctx, parent.name);
      if (!(await parents.actingFor((ctx.state.user as UserRecord | undefined) ?? null).find(id)))
        throw new NotFoundException(`${parent.name} not found`);
      return id;
    };
    const index: Middleware = async (ctx) => {
      // The parent first: a request under a missing one is a 404, whatever its parameters say.
      const id = await parentId(ctx);
      const list = this.listQuery(ctx.query);
      const includes = this.includes(ctx);
      if (includes.length > 0) await this.authorizeIncludes(ctx, includes);
      const scoped: ListQuery = {
        ...list,
        where: (query) => {
          list.where(query);
          query.where(`${this.model.table}.${column}`, id);
        },
      };
      const page = await this.serviceFor(ctx).list(scoped, list.trashed);
      sendPaginated(ctx, await this.present(ctx, page.items, includes), page.pagination);
    };
    const store: Middleware = async (ctx) => {
      const id = await parentId(ctx);
      const body = ctx.request.body;
      const sent = typeof body === 'object' && body !== null && !Array.isArray(body);
      const given = sent ? (body as Record<string, unknown>)[column] : undefined;
      if (given !== undefined && (typeof given === 'object' || `${given as string | number}` !== String(id)))
        throw new ValidationException('Validation failed', {
          errors: { [column]: [`is taken from the path (${id}); leave it out or send ${id}`] },
        });
      const { attributes, links } = await this.input(ctx, 'create', sent ? { ...body, [column]: id } : body);
      const record = await this.serviceFor(ctx).create(attributes, links);
      sendSuccess(ctx, this.serialize(record), { status: 201, message: `${this.model.name} created` });
    };
    for (const [action, handler] of [
      ['index', index],
      ['store', store],
    ] as const)
      documentHandler(handler, {
        name: this.model.name,
        fields: this.fields,
        action,
        relations: this.documentedRelations(),
        owner: this.model.owner,
        parent: { name: parent.name, column },
      });
    return { index, store };
  }

  /** Removes the row for good. */
  forceDestroy = async (ctx: Context) => {
    await this.serviceFor(ctx).forceDelete(this.id(ctx));
    sendSuccess(ctx, null, { message: `${this.model.name} permanently deleted` });
  };
}
